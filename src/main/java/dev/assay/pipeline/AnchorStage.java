package dev.assay.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.consistency.AnchorSet;
import dev.assay.consistency.AnchorSpec;
import dev.assay.consistency.SelfPreference;
import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.generation.CandidateFile;
import dev.assay.grouping.ReadJsonl;
import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Rubric;
import dev.assay.judging.SampleJudgments;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The recipe's {@code anchor:} step ({@link AnchorSpec}), run after the main pass has published the candidates: the
 * anchor set is judged by this iteration's anchor judges, so that {@code ./assay audit} can compare any two
 * iterations on the same responses; with an anchor judge on another endpoint, that judge also judges the set and a
 * seeded sample of the policy's own candidates, and the self-judge's preference for its own outputs beyond the
 * anchor's is measured ({@link SelfPreference}).
 *
 * <p>Judging goes through {@link SampleJudgments} and the run's ledger, in a pipeline run of its own, so its requests
 * are in the manifest's usage and a resume replays them; a request the main pass already made (iteration 1 judging
 * its own candidates, the self-judge on its own sample) is a ledger hit and costs nothing.
 *
 * <p>Outputs, in {@code anchor/}: {@code anchor-set.jsonl} (the set, carried to the next iteration), {@code
 * judgments.jsonl}, {@code failures.jsonl}, {@code summary.json} (also the manifest's {@code anchor}). Accounting:
 * per judge a stage {@code anchor.<judge>} with {@code in = items x n = ok + rejected + failed}.
 *
 * <p>Failure modes: an unreadable or malformed anchor file is bad input ({@link dev.assay.io.InputException} naming
 * file, line and field); judge names the recipe checks let through but are not configured are a bug.
 */
final class AnchorStage {
  static final String FOLDER = "anchor";
  static final String SET = "anchor-set.jsonl";
  private static final String JUDGMENTS = "anchor-judgments";
  private static final String FAILURES = "anchor-failures";

  private AnchorStage() {}

  /**
   * What the step did.
   *
   * @param pipeline the judging pass, for the run's usage counters
   * @param stages the accounting, one stage per judge
   * @param summary the manifest's {@code anchor} record
   */
  record Result(PipelineResult pipeline, Map<String, StageCount> stages, JsonNode summary) {}

  /**
   * A summary of the step for the manifest and {@code anchor/summary.json}.
   *
   * @param source where the set came from: a file, the previous iteration's set, or this run's candidates
   * @param size responses in the anchor set
   * @param judges the judges of the anchor set (the recipe's anchor judges, then the anchor judge)
   * @param ownSample own candidates added for the anchor judge's self-preference measure
   * @param selfPreference one measure per self-judge (served by the policy's model); empty without an anchor judge
   */
  record Summary(String source, long size, List<String> judges, long ownSample, List<SelfPreference> selfPreference) {}

  /** Runs the step, or returns null when the recipe has no {@code anchor:} section. */
  static Result run(
      Recipe recipe, Path recipeDir, List<JudgeDefinition> judges, Map<String, BackendProvider> providers,
      RunDirectory dir, Path previousIteration, RunnerChoice runner, PrintStream out) {
    AnchorSpec spec = recipe.anchor();
    if (spec == null) {
      return null;
    }
    long seed = spec.seed() == null ? recipe.seed() : spec.seed();
    List<JudgeDefinition> anchorJudges = anchorJudges(spec, judges);
    Map<String, Candidate> set = new TreeMap<>();
    String source;
    Path carried = previousIteration == null ? null : previousIteration.resolve(FOLDER).resolve(SET);
    if (spec.file() != null) {
      Path file = recipeDir.resolve(spec.file());
      CandidateFile.forEach(file, 0, c -> set.put(c.id(), c));
      source = "file " + file.normalize();
    } else if (carried != null && Files.isRegularFile(carried)) {
      // Read as the previous run wrote it (request hashes included), so the carried file stays byte-identical.
      new RunDirectory(previousIteration).forEach(FOLDER, SET, Candidate.class, c -> set.put(c.id(), c));
      source = "carried from " + previousIteration.normalize();
    } else {
      AnchorSet.sample(sink -> dir.forEach("candidates", "candidates.jsonl", Candidate.class, sink), spec.size(), seed, Set.of())
          .forEach(c -> set.put(c.id(), c));
      source = "sampled from this run's candidates (seed " + seed + ")";
    }

    List<JudgeDefinition> all = new ArrayList<>(anchorJudges);
    String policyModel =
        recipe.generation() == null ? null : recipe.endpoints().get(recipe.generation().endpoint()).model();
    List<JudgeDefinition> selfJudges =
        anchorJudges.stream().filter(j -> j.model().equals(policyModel)).toList();
    JudgeDefinition anchorJudge = null;
    List<Candidate> own = List.of();
    if (spec.judge() != null) {
      JudgeDefinition first = anchorJudges.get(0);
      anchorJudge =
          new JudgeDefinition(AnchorSpec.judgeName(spec.judge()), spec.judge(), recipe.endpoints().get(spec.judge()).model(),
              first.kind(), first.n(), first.temperature(), first.maxTokens(), first.referenceMode(), first.template(),
              first.rubric(), first.reviseTemplate(), first.structured());
      all.add(anchorJudge);
      if (!selfJudges.isEmpty()) {
        own =
            AnchorSet.sample(
                sink -> dir.forEach("candidates", "candidates.jsonl", Candidate.class, c -> {
                  if (c.model().equals(policyModel)) {
                    sink.accept(c);
                  }
                }),
                spec.ownSample(), seed, set.keySet());
      }
    }
    List<Candidate> items = new ArrayList<>(set.values());
    items.addAll(own);
    write(dir, SET, set.values());

    Ledger.beginSession(dir.ledger());
    Pipeline p = Pipeline.create(runner.options());
    PCollection<Candidate> candidates =
        p.apply("ReadAnchorItems", ReadJsonl.of(Candidate.class, dir.stage("anchor-items", items)).withCoder(CandidateCoder.of()));
    List<PCollection<Judgment>> judged = new ArrayList<>();
    List<PCollection<Failure>> failed = new ArrayList<>();
    for (JudgeDefinition judge : all) {
      PCollectionTuple t =
          candidates.apply("Anchor-" + judge.name(), SampleJudgments.by(judge, recipe.seed(), dir.ledger(), providers.get(judge.endpointName())));
      judged.add(t.get(SampleJudgments.JUDGMENTS));
      failed.add(t.get(SampleJudgments.FAILURES));
    }
    RunPlan.writeJsonl(PCollectionList.of(judged).apply("AnchorJudgments", Flatten.pCollections()), dir, JUDGMENTS);
    RunPlan.writeJsonl(PCollectionList.of(failed).apply("AnchorFailures", Flatten.pCollections()), dir, FAILURES);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Ledger.release(dir.ledger());
    dir.publishAll(List.of(
        new RunDirectory.Publication(JUDGMENTS, FOLDER, "judgments.jsonl"),
        new RunDirectory.Publication(FAILURES, FOLDER, "failures.jsonl")));

    List<Judgment> judgments = dir.read(FOLDER, "judgments.jsonl", Judgment.class);
    List<Failure> failures = dir.read(FOLDER, "failures.jsonl", Failure.class);
    Map<String, StageCount> stages = new LinkedHashMap<>();
    for (JudgeDefinition judge : all) {
      stages.put(stage(judge), account(judge, items.size(), judgments, failures));
    }
    List<SelfPreference> preferences = new ArrayList<>();
    if (anchorJudge != null) {
      Map<String, String> modelOf = new HashMap<>();
      items.forEach(c -> modelOf.put(c.id(), c.model()));
      for (JudgeDefinition self : selfJudges) {
        Rubric rubric = self.rubric();
        int lo = rubric == null ? Rubric.DEFAULT_MIN_SCORE : rubric.minScore();
        int hi = rubric == null ? Rubric.DEFAULT_MAX_SCORE : rubric.maxScore();
        preferences.add(SelfPreference.of(judgments, self.name(), anchorJudge.name(), self.model(), modelOf, lo, hi, seed));
      }
    }
    Summary summary =
        new Summary(source, set.size(), all.stream().map(JudgeDefinition::name).toList(), own.size(), preferences);
    try {
      Files.writeString(dir.output(FOLDER, "summary.json"), Json.pretty(summary));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.output(FOLDER, "summary.json"), e);
    }
    out.println(String.format(Locale.ROOT, "anchor: %d responses (%s) judged by %s%s", set.size(), source,
        String.join(", ", summary.judges()), own.isEmpty() ? "" : ", and " + own.size() + " own responses by the anchor judge"));
    preferences.forEach(sp -> out.println(line(sp)));
    return new Result(result, stages, Json.mapper().valueToTree(summary));
  }

  /** One line on a self-preference measure, for the console. */
  static String line(SelfPreference sp) {
    if (!sp.defined()) {
      return "self-preference of judge " + sp.selfJudge() + " (" + sp.model() + "): not measured, " + sp.note();
    }
    return String.format(Locale.ROOT,
        "self-preference of judge %s (%s) beyond anchor judge %s: %+.3f of the scale (%+.3f points), 95%% interval"
            + " [%+.3f, %+.3f], over %d own and %d other responses",
        sp.selfJudge(), sp.model(), sp.anchorJudge(), sp.preference(), sp.points(), sp.lower(), sp.upper(), sp.own(),
        sp.others());
  }

  /** The accounting stage of one judge of the anchor set. */
  static String stage(JudgeDefinition judge) {
    return "anchor." + judge.name();
  }

  private static List<JudgeDefinition> anchorJudges(AnchorSpec spec, List<JudgeDefinition> judges) {
    if (spec.judges().isEmpty()) {
      return List.of(judges.stream().filter(j -> j.kind() == JudgmentKind.ABSOLUTE).findFirst()
          .orElseThrow(() -> new IllegalStateException("anchor: passed the cross-checks without an absolute judge")));
    }
    List<JudgeDefinition> out = new ArrayList<>();
    for (String name : spec.judges()) {
      out.add(judges.stream().filter(j -> j.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalStateException("anchor judge " + name + " passed the cross-checks but is not configured")));
    }
    return out;
  }

  /** {@code in = items x n = ok + rejected + failed}; calls refused by the budget cap count as failed. */
  private static StageCount account(JudgeDefinition judge, long items, List<Judgment> judgments, List<Failure> failures) {
    long ok = 0;
    long rejected = 0;
    long failed = 0;
    Map<String, Long> reasons = new TreeMap<>();
    for (Judgment j : judgments) {
      if (!j.judge().equals(judge.name())) {
        continue;
      }
      if (j.status() == JudgmentStatus.OK) {
        ok++;
      } else if (j.status() == JudgmentStatus.FAILED) {
        failed++;
        reasons.merge("failed", 1L, Long::sum);
      } else {
        rejected++;
        reasons.merge(j.status().wire(), 1L, Long::sum);
      }
    }
    for (Failure f : failures) {
      if (f.stage().equals(SampleJudgments.stage(judge.name())) && f.errorClass().equals(RunAccounting.BUDGET)) {
        failed++;
        reasons.merge(RunAccounting.BUDGET, 1L, Long::sum);
      }
    }
    return new StageCount(items * judge.n(), ok, rejected, failed, reasons);
  }

  private static void write(RunDirectory dir, String file, Iterable<Candidate> candidates) {
    Path target = dir.output(FOLDER, file);
    try {
      Files.createDirectories(target.getParent());
      StringBuilder sb = new StringBuilder();
      for (Candidate c : candidates) {
        sb.append(Json.line(c)).append('\n');
      }
      Files.writeString(target, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
