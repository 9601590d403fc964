package dev.assay.pipeline;

import dev.assay.consistency.AnchorSpec;

import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.grouping.ReadJsonl;
import dev.assay.io.Json;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.SampleJudgments;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.ranking.PairAcrossIterations;
import dev.assay.ranking.PolicyRanking;
import dev.assay.ranking.RankingSpec;
import dev.assay.ranking.RankingSummary;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The ranking step of an iteration after the first ({@code ranking:} in the recipe): the ranking judge compares each
 * response of this iteration's policy with the previous policy's response to the same prompt, in both seat orders
 * ({@link PairAcrossIterations}), through the ledger like every judge (a resume replays it for free), in its own
 * pipeline run after the main one, which must have published this iteration's candidates first.
 *
 * <p>Outputs: {@code ranking/judgments.jsonl}, {@code failures/ranking.jsonl} and {@code ranking/summary.json}
 * ({@link RankingSummary}: wins, losses, ties, P(t beats t-1) with its bootstrap interval over prompts, the
 * Bradley-Terry difference and Elo ratings). Accounting (stage {@value #STAGE}): {@code in = items x n = ok +
 * rejected (unparseable, refused, truncated) + failed}, with items counted on the driver from both candidate files.
 * Without a previous iteration (the first round, or a run without {@code --iteration}) the step is skipped and says so.
 */
final class RankingStage {
  static final String STAGE = "ranking";
  private static final String JUDGMENTS = "ranking-judgments";
  private static final String FAILURES = "failures-ranking";

  /**
   * @param pipeline the ranking pass, for its counters (what the endpoint was sent)
   * @param count the stage's accounting
   * @param summary what it found
   */
  record Result(PipelineResult pipeline, StageCount count, RankingSummary summary) {}

  private RankingStage() {}

  /**
   * Runs the ranking pass, or returns null (and prints why) when the recipe has no {@code ranking:} section or the run
   * has no previous iteration with candidates.
   */
  static Result run(
      Recipe recipe, List<JudgeDefinition> judges, Path previousRun, RunDirectory dir, Map<String, BackendProvider> providers,
      RunnerChoice runner, java.io.PrintStream out) {
    RankingSpec spec = recipe.ranking();
    if (spec == null) {
      return null;
    }
    Path previousCandidates = previousRun == null ? null : new RunDirectory(previousRun).output("candidates", "candidates.jsonl");
    if (previousCandidates == null || !Files.isRegularFile(previousCandidates)) {
      out.println(
          "ranking: skipped: " + (previousRun == null
              ? "no previous iteration (run with --iteration T, T > 1, beside iter-(T-1))"
              : "the previous iteration " + previousRun + " has no candidates/candidates.jsonl"));
      return null;
    }
    JudgeDefinition judge = judge(recipe, spec.judge(), judges);
    Result r =
        pass(new RankingSpec(judge.name(), spec.replicates(), spec.seed()), judge, recipe.seed(), dir, previousRun, dir,
            providers.get(judge.endpointName()), runner);
    out.println(r.summary().line());
    return r;
  }

  /**
   * The ranking pass itself: {@code judge} compares {@code current}'s responses with those of {@code previousRun} to
   * the same prompts, both seat orders, through {@code into}'s ledger; writes {@code ranking/judgments.jsonl},
   * {@code failures/ranking.jsonl} and {@code ranking/summary.json} under {@code into} (the current run itself in a
   * round; a folder of its own for {@code ./assay rank --recipe}, which compares any two runs).
   *
   * @param spec the bootstrap's replicates and seed, and the judge's name
   * @param seed the master seed of the judge requests
   */
  static Result pass(
      RankingSpec spec, JudgeDefinition judge, long seed, RunDirectory current, Path previousRun, RunDirectory into,
      BackendProvider provider, RunnerChoice runner) {
    Path previousCandidates = new RunDirectory(previousRun).output("candidates", "candidates.jsonl");
    Sides now = Sides.count(current);
    Sides before = Sides.count(new RunDirectory(previousRun));
    long items = 0;
    for (var e : now.perPrompt().entrySet()) {
      items += PairAcrossIterations.items(e.getValue(), before.perPrompt().getOrDefault(e.getKey(), 0L));
    }

    Ledger.beginSession(into.ledger());
    Pipeline p = Pipeline.create(runner.options());
    PCollection<Candidate> mine =
        p.apply("ReadCandidates", ReadJsonl.of(Candidate.class, current.output("candidates", "candidates.jsonl").toString()).withCoder(CandidateCoder.of()));
    PCollection<Candidate> theirs =
        p.apply("ReadPreviousCandidates", ReadJsonl.of(Candidate.class, previousCandidates.toString()).withCoder(CandidateCoder.of()));
    PCollectionTuple judged =
        mine.apply(PairAcrossIterations.against(theirs, runner.shards()))
            .apply("Judge-" + judge.name(), SampleJudgments.onItems(judge, seed, into.ledger(), provider));
    PipelineResult result =
        RunPlan.runJudgePass(
            p, judged, into, new RunDirectory.Publication(JUDGMENTS, RankingSummary.FOLDER, "judgments.jsonl"),
            new RunDirectory.Publication(FAILURES, "failures", "ranking.jsonl"));

    List<Judgment> judgments = new ArrayList<>();
    into.forEach("ranking", "judgments.jsonl", Judgment.class, j -> judgments.add(j.withoutText()));
    RankingSummary summary = PolicyRanking.of(judgments, now.models(), before.models(), previousRun.toString(), spec, judge.model());
    write(into, summary);
    StageCount count = RunAccounting.judgePass(into, RankingSummary.FOLDER, "judgments.jsonl", "ranking.jsonl", judge.name(), items * judge.n());
    return new Result(result, count, summary);
  }

  /**
   * The ranking judge: the judge {@code named} ({@code ranking.judge}, or {@code ./assay rank --judge}); when none is
   * named, the anchor judge (the issue's
   * default: the self-judge is the biased one), asked pairwise. {@code anchor.judge} names an endpoint, so that is a
   * pairwise judge of {@code judges:} served by that endpoint, else the first pairwise judge's template, rubric,
   * samples and reference mode asked of the anchor endpoint's model, named {@code anchor-<endpoint>} as the anchor
   * stage names its judge ({@link AnchorSpec#judgeName}).
   *
   * @throws UsageException when the named judge is missing or not pairwise, or none is named and there is no default (no
   *     {@code anchor.judge}, or no pairwise judge whose template the anchor judge could use); the validator reports
   *     both before a run starts
   */
  static JudgeDefinition judge(Recipe recipe, String named, List<JudgeDefinition> judges) {
    if (named != null) {
      JudgeDefinition j = judges.stream().filter(d -> d.name().equals(named)).findFirst()
          .orElseThrow(() -> new UsageException("ranking judge '" + named + "' is not a judge of judges:"));
      if (j.kind() != JudgmentKind.PAIRWISE) {
        throw new UsageException("ranking judge '" + named + "' must be a pairwise judge, not " + j.kind().wire());
      }
      return j;
    }
    AnchorSpec anchor = recipe.anchor();
    if (anchor == null || anchor.judge() == null) {
      throw new UsageException("ranking.judge is not set and there is no anchor judge (anchor.judge) to default to:"
          + " name a pairwise judge of judges:");
    }
    String endpoint = anchor.judge();
    List<JudgeDefinition> pairwise = judges.stream().filter(j -> j.kind() == JudgmentKind.PAIRWISE).toList();
    if (pairwise.isEmpty()) {
      throw new UsageException("ranking.judge is not set, and the anchor judge (anchor.judge: " + endpoint + ") needs the"
          + " template of a pairwise judge in judges: to compare two responses; add one or name ranking.judge");
    }
    for (JudgeDefinition j : pairwise) {
      if (j.endpointName().equals(endpoint)) {
        return j;
      }
    }
    JudgeDefinition first = pairwise.get(0);
    return new JudgeDefinition(
        AnchorSpec.judgeName(endpoint), endpoint, recipe.endpoints().get(endpoint).model(), first.kind(), first.n(),
        first.temperature(), first.maxTokens(), first.referenceMode(), first.template(), first.rubric(),
        first.reviseTemplate(), first.structured());
  }

  private static void write(RunDirectory dir, RankingSummary summary) {
    Path file = dir.output(RankingSummary.FOLDER, RankingSummary.FILE);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, Json.line(summary) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** One iteration's candidates, counted per prompt (the driver holds counts, not records), and the models that wrote them. */
  private record Sides(Map<String, Long> perPrompt, String models) {
    static Sides count(RunDirectory run) {
      Map<String, Long> perPrompt = new HashMap<>();
      TreeSet<String> models = new TreeSet<>();
      run.forEach("candidates", "candidates.jsonl", Candidate.class, c -> {
        perPrompt.merge(c.promptId(), 1L, Long::sum);
        models.add(c.model());
      });
      return new Sides(perPrompt, String.join(",", models));
    }
  }
}
