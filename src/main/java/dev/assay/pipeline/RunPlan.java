package dev.assay.pipeline;

import dev.assay.curation.rationalization.TieBreak;
import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.generation.GenerateResponses;
import dev.assay.generation.Prompt;
import dev.assay.grouping.ReadJsonl;
import dev.assay.io.Failure;
import dev.assay.io.WriteJsonl;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgeSpec;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentCoder;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Rubric;
import dev.assay.judging.SampleJudgments;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.EndpointConfig;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.run.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The plan of a run: a recipe turned into the Beam pipeline that runs it, built on a given {@link Pipeline} without
 * running it ({@link #buildPipeline}, in the spirit of beam-starter's {@code App.buildPipeline}), so a test can build
 * it and assert on its typed outputs, and the lifecycle ({@link RunLifecycle}) runs it.
 *
 * <p>The main pipeline: the input (read, or prompts filtered and answered by {@code GenerateResponses}), every judge
 * but a meta-judge ({@code SampleJudgments}), then either the self-rewarding stages ({@link SelfRewardingStage}) or
 * self-rationalization ({@link RationalizationStage}). Every output is written as sorted shard files under the run's
 * {@code .work/}, published by the lifecycle as {@link #publications}. With {@code tie_break: meta-judge},
 * rationalization waits for the meta-judge's pass ({@link MetaJudgeStage}) and is planned by
 * {@link #buildRationalization} on a pipeline of its own.
 *
 * <p>Failure modes: {@link dev.assay.io.InputException} for a template, rubric, labels or previous-run file that
 * cannot be used, thrown while the pipeline is built (before any model is called).
 *
 * @param recipe the run's recipe
 * @param recipeDir the folder its relative paths are resolved in
 * @param inputs the checked, staged inputs
 * @param judges every configured judge ({@link #judges})
 * @param dir the run directory
 * @param runId the run id, written on every pair and SFT line
 * @param providers endpoint name to the backend provider the DoFns use
 * @param backends the caller-supplied backends ({@code RecipeRunner.Options.backends}), which the implicit reward
 *     model reaches its endpoints through like every other stage
 */
record RunPlan(
    Recipe recipe,
    Path recipeDir,
    RunInputs inputs,
    List<JudgeDefinition> judges,
    RunDirectory dir,
    String runId,
    Map<String, BackendProvider> providers,
    Map<String, BackendProvider> backends) {
  RunPlan {
    Objects.requireNonNull(recipe, "recipe");
    judges = List.copyOf(judges);
    providers = Map.copyOf(providers);
    backends = Map.copyOf(backends);
  }

  /**
   * The typed outputs of the main pipeline (each also written to the run's {@code .work/}).
   *
   * @param candidates the candidates, generated or read
   * @param judgments every judgment, imported and model-made, or null when there are none
   * @param failures every failure record, or null when no stage can fail
   */
  record Outputs(PCollection<Candidate> candidates, PCollection<Judgment> judgments, PCollection<Failure> failures) {}

  /** The meta-judge's name ({@code rationalization.tie_break: meta-judge}), or null. */
  String metaJudgeName() {
    return recipe.rationalization() == null ? null : recipe.rationalization().metaJudgeName();
  }

  /** The judges that judge candidates: every configured judge but the meta-judge, which only grades judgments. */
  List<JudgeDefinition> voters() {
    String meta = metaJudgeName();
    return judges.stream().filter(j -> !j.name().equals(meta)).toList();
  }

  /** The meta-judge's definition, or null. */
  JudgeDefinition metaJudge() {
    String meta = metaJudgeName();
    return meta == null ? null : judges.stream().filter(j -> j.name().equals(meta)).findFirst().orElseThrow();
  }

  /** Builds the run's main pipeline on {@code p} and returns its typed outputs; runs nothing. */
  Outputs buildPipeline(Pipeline p) {
    String metaName = metaJudgeName();
    List<PCollection<Failure>> failures = new ArrayList<>();
    PCollection<Candidate> candidates;
    if (recipe.generation() != null) {
      var gen = recipe.generation();
      EndpointConfig ep = recipe.endpoints().get(gen.endpoint());
      PCollection<Prompt> prompts = p.apply("ReadPrompts", ReadJsonl.of(Prompt.class, inputs.prompts().into(dir, "prompts")));
      if (recipe.promptFilters() != null) {
        prompts = PromptFilterStage.attach(recipe.promptFilters(), recipeDir, prompts, dir);
      }
      PCollectionTuple generated =
          prompts.apply(
              GenerateResponses.using(gen.endpoint(), ep.model(), gen, recipe.seed(), dir.ledger(), providers.get(gen.endpoint())));
      candidates = generated.get(GenerateResponses.CANDIDATES);
      failures.add(generated.get(GenerateResponses.FAILURES));
    } else {
      candidates = p.apply("ReadCandidates", ReadJsonl.of(Candidate.class, inputs.candidates().into(dir, "candidates")).withCoder(CandidateCoder.of()));
    }
    writeJsonl(candidates, dir, "candidates");

    List<PCollection<Judgment>> judgmentOutputs = new ArrayList<>();
    if (inputs.judgments().count() > 0) {
      judgmentOutputs.add(p.apply("ReadJudgments", ReadJsonl.of(Judgment.class, dir.adopt("judgments", inputs.judgments().file())).withCoder(JudgmentCoder.of())));
    }
    List<JudgeDefinition> pair = JudgeSampling.consistencyPair(recipe, voters());
    if (pair != null) {
      JudgeDefinition current = pair.get(0);
      JudgeDefinition previous = pair.get(1);
      PCollectionTuple judged =
          candidates.apply(
              "Judge-" + current.name() + "-" + previous.name(),
              SampleJudgments.consistencyPair(
                  current, providers.get(current.endpointName()), previous, providers.get(previous.endpointName()),
                  recipe.seed(), dir.ledger(), JudgeSampling.margin(recipe, current), JudgeSampling.margin(recipe, previous),
                  recipe.consistency().threshold(), recipe.consistency().keepUndefined()));
      judgmentOutputs.add(judged.get(SampleJudgments.JUDGMENTS));
      failures.add(judged.get(SampleJudgments.FAILURES));
    }
    for (JudgeDefinition judge : voters()) {
      if (pair != null && pair.contains(judge)) {
        continue; // judged above, in joint rounds
      }
      PCollectionTuple judged =
          candidates.apply(
              "Judge-" + judge.name(),
              SampleJudgments.by(judge, recipe.seed(), dir.ledger(), providers.get(judge.endpointName()))
                  .withMargin(JudgeSampling.margin(recipe, judge))
                  .withRanking(JudgeSampling.ranking(recipe, judge)));
      judgmentOutputs.add(judged.get(SampleJudgments.JUDGMENTS));
      failures.add(judged.get(SampleJudgments.FAILURES));
    }
    PCollection<Judgment> allJudgments = null;
    if (!judgmentOutputs.isEmpty()) {
      allJudgments = PCollectionList.of(judgmentOutputs).apply("AllJudgments", Flatten.pCollections());
      writeJsonl(allJudgments, dir, "judgments");
      if (!recipe.rewardModels().isEmpty()) {
        SelfRewardingStage.attach(recipe, recipeDir, candidates, allJudgments, dir, runId, failures, backends);
      }
      if (recipe.rationalization() != null && metaName == null) {
        RationalizationStage.attach(
                recipe, recipeDir, judges, inputs.imported(), candidates, allJudgments, runId, TieBreak.seeded(recipe.seed()))
            .write(dir);
      }
    }
    PCollection<Failure> allFailures = null;
    if (!failures.isEmpty()) {
      allFailures = PCollectionList.of(failures).apply("AllFailures", Flatten.pCollections());
      writeJsonl(allFailures, dir, "failures");
    }
    return new Outputs(candidates, allJudgments, allFailures);
  }

  /**
   * Builds, on {@code p}, self-rationalization over the main pass's published candidates and judgments with the
   * meta-judge's scores as the tie-break: the second pipeline of a {@code tie_break: meta-judge} run, built only once
   * those scores exist ({@code TieBreak} is a construction argument of the pair builder).
   */
  void buildRationalization(Pipeline p, TieBreak byMeta) {
    PCollection<Candidate> publishedCandidates =
        p.apply("ReadCandidates", ReadJsonl.of(Candidate.class, dir.output("candidates", "candidates.jsonl").toString()).withCoder(CandidateCoder.of()));
    PCollection<Judgment> publishedJudgments =
        p.apply("ReadJudgments", ReadJsonl.of(Judgment.class, dir.output("judgments", "judgments.jsonl").toString()).withCoder(JudgmentCoder.of()));
    RationalizationStage.attach(recipe, recipeDir, judges, inputs.imported(), publishedCandidates, publishedJudgments, runId, byMeta)
        .write(dir);
  }

  /** What the main pipeline's outputs are published as: each shard prefix, its folder and its file. */
  List<RunDirectory.Publication> publications() {
    List<RunDirectory.Publication> outputs = new ArrayList<>(List.of(
        new RunDirectory.Publication("candidates", "candidates", "candidates.jsonl"),
        new RunDirectory.Publication("judgments", "judgments", "judgments.jsonl"),
        new RunDirectory.Publication("failures", "failures", "failures.jsonl")));
    if (recipe.promptFilters() != null && recipe.generation() != null) {
      outputs.addAll(PromptFilterStage.outputs());
    }
    if (recipe.rationalization() != null && metaJudgeName() == null) {
      outputs.addAll(RationalizationStage.outputs());
    }
    if (!recipe.rewardModels().isEmpty()) {
      outputs.addAll(SelfRewardingStage.outputs(recipe));
    }
    return outputs;
  }

  /** Writes {@code records} as sorted shard files of output {@code name} under the run's {@code .work/}. */
  /**
   * Runs a judge pass of its own after the main pipeline (the meta-judge, the ranking step): writes its judgments and
   * failures, runs {@code p} to the end, releases the ledger for the driver and publishes both outputs.
   */
  static PipelineResult runJudgePass(
      Pipeline p, PCollectionTuple judged, RunDirectory dir, RunDirectory.Publication judgments, RunDirectory.Publication failures) {
    writeJsonl(judged.get(SampleJudgments.JUDGMENTS), dir, judgments.name());
    writeJsonl(judged.get(SampleJudgments.FAILURES), dir, failures.name());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Ledger.release(dir.ledger());
    dir.publishAll(List.of(judgments, failures));
    return result;
  }

  static <T> void writeJsonl(PCollection<T> records, RunDirectory dir, String name) {
    records.apply("Write-" + name, WriteJsonl.to(dir.shardPrefix(name)));
  }

  /**
   * Every judge of the recipe with its template, rubric and revise template loaded.
   *
   * @throws dev.assay.io.InputException when a template or rubric cannot be read
   */
  static List<JudgeDefinition> judges(Recipe recipe, Path baseDir) {
    List<JudgeDefinition> out = new ArrayList<>();
    for (JudgeSpec spec : recipe.judges()) {
      EndpointConfig ep = recipe.endpoints().get(spec.endpoint());
      PromptTemplate template = PromptTemplate.load(baseDir.resolve(spec.template()));
      JudgmentKind kind = spec.kind().equals("pairwise") ? JudgmentKind.PAIRWISE : JudgmentKind.ABSOLUTE;
      Rubric rubric = spec.rubric() == null ? null : Rubric.load(baseDir.resolve(spec.rubric()));
      ReferenceMode mode = ReferenceMode.valueOf(spec.referenceMode().toUpperCase());
      PromptTemplate revise = mode == ReferenceMode.ADAPTED ? PromptTemplate.load(baseDir.resolve(reviseTemplate(spec))) : null;
      out.add(
          new JudgeDefinition(
              spec.name(), spec.endpoint(), ep.model(), kind, spec.n(), spec.temperature(), spec.maxTokens(), mode,
              template, rubric, revise, spec.structured(), spec.nPerRequest(), spec.adaptive()));
    }
    return out;
  }

  /** The revise template of an {@code adapted} judge: its own, or {@code revise.yaml} beside its template. */
  static String reviseTemplate(JudgeSpec spec) {
    if (spec.reviseTemplate() != null) {
      return spec.reviseTemplate();
    }
    Path t = Path.of(spec.template());
    return (t.getParent() == null ? Path.of("revise.yaml") : t.getParent().resolve("revise.yaml")).toString();
  }
}
