package dev.assay.pipeline;

import dev.assay.curation.rationalization.RationalizationSpec;
import dev.assay.curation.rationalization.BuildRationalizationPairs;
import dev.assay.curation.rationalization.JudgePrompt;
import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.io.Failure;
import dev.assay.io.JsonCoder;
import dev.assay.grouping.ReadJsonl;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentCoder;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.judging.SampleJudgments;
import dev.assay.llm.BackendProvider;
import dev.assay.grouping.JoinPromptShards;
import dev.assay.run.RunDirectory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The LLM meta-judge of self-rationalization ({@code rationalization.tie_break: meta-judge}): grades each ok judgment
 * of the rationalized judge with a configured absolute judge, so that {@code TieBreak.metaJudge} can choose the
 * best-argued of several judgments with the right score.
 *
 * <p>Each judgment becomes one {@link Candidate}: id = the judgment id, promptId = the judged item, prompt = the judge
 * prompt it answered ({@link JudgePrompt}, system message first when there is one), response =
 * {@link BuildRationalizationPairs#completion}, model = the judge's name, sample = the judgment's sample. They are
 * judged by {@link SampleJudgments} like any judge (through the ledger: a resume replays them for free), in their own
 * pipeline run after the main one. That is the simplest correct order: {@code TieBreak} is a construction argument of
 * {@code BuildRationalizationPairs}, so the scores must exist before the pair-building pipeline is built, and they
 * can only be computed once the main pipeline has published the judgments they grade.
 *
 * <p>Outputs: {@code judgments/meta.jsonl} (kept apart from {@code judgments/judgments.jsonl}, so the meta-judge is
 * never counted as a voter, rationalized or audited as one) and {@code failures/meta.jsonl}. Accounting ({@link RunAccounting}, stage
 * {@code judge.<meta>}): {@code in = meta-candidates x n = ok + rejected + failed}, as for any judge stage.
 */
final class MetaJudgeStage {
  static final String JUDGMENTS = "judgments-meta";
  static final String FAILURES = "failures-meta";

  private MetaJudgeStage() {}

  /**
   * How many requests the meta-judge will get: ok absolute judgments of the rationalized judge whose item has a judge
   * prompt (an item without one gets no pair either: {@code BuildRationalizationPairs} rejects it). Streams the
   * published judgments; holds the item ids, not the records. Known before the pass runs, for its progress total and
   * its accounting ({@code in = requests x n}).
   */
  static long requests(RationalizationSpec spec, Path recipeDir, List<JudgeDefinition> judges, PrometheusEvalImport.Result imported, RunDirectory dir) {
    Set<String> items = new HashSet<>();
    if (RationalizationStage.ownJudge(spec, judges) == null) {
      RationalizationStage.importedJudgePrompts(spec, recipeDir, imported).forEach(jp -> items.add(jp.itemId()));
    } else {
      dir.forEach("candidates", "candidates.jsonl", Candidate.class, c -> items.add(c.id()));
    }
    long[] n = {0};
    String judge = spec.judge();
    dir.forEach("judgments", "judgments.jsonl", Judgment.class, j -> {
      if (graded(j, judge) && items.contains(j.candidateA())) {
        n[0]++;
      }
    });
    return n[0];
  }

  /** Whether the meta-judge grades {@code j}: an ok absolute judgment of the rationalized judge. */
  private static boolean graded(Judgment j, String judge) {
    return j.judge().equals(judge) && j.kind() == JudgmentKind.ABSOLUTE && j.status() == JudgmentStatus.OK;
  }

  /**
   * Runs the meta-judge in its own pipeline and publishes its outputs. Its requests are built in the pipeline: the
   * published judgments the meta-judge grades, joined by item with the judge prompts they answered ({@code
   * RationalizationStage.judgePrompts}, from the published candidates), so the driver holds neither.
   */
  static PipelineResult run(
      JudgeDefinition meta,
      RationalizationSpec spec,
      Path recipeDir,
      List<JudgeDefinition> judges,
      PrometheusEvalImport.Result imported,
      long seed,
      RunDirectory dir,
      BackendProvider provider,
      RunnerChoice runner) {
    Pipeline p = Pipeline.create(runner.options());
    PCollection<Candidate> candidates =
        p.apply("ReadCandidates", ReadJsonl.of(Candidate.class, dir.output("candidates", "candidates.jsonl").toString()).withCoder(CandidateCoder.of()));
    String judge = spec.judge();
    PCollection<Judgment> graded =
        p.apply("ReadJudgments", ReadJsonl.of(Judgment.class, dir.output("judgments", "judgments.jsonl").toString()).withCoder(JudgmentCoder.of()))
            .apply("Graded", Filter.by(j -> graded(j, judge)));
    PCollection<JudgePrompt> prompts = RationalizationStage.judgePrompts(spec, recipeDir, judges, imported, candidates);
    PCollection<Candidate> requests =
        JoinPromptShards.join("ByItem", List.of(
                new JoinPromptShards.Input<>("KeyPrompts", prompts, JudgePrompt::itemId, JsonCoder.of(JudgePrompt.class)),
                new JoinPromptShards.Input<>("KeyGraded", graded, Judgment::candidateA, JudgmentCoder.of())))
            .apply("Requests", ParDo.of(new RequestsFn()))
            .setCoder(CandidateCoder.of());
    PCollectionTuple judged = requests.apply("Judge-" + meta.name(), SampleJudgments.by(meta, seed, dir.ledger(), provider));
    return RunPlan.runJudgePass(
        p, judged, dir, new RunDirectory.Publication(JUDGMENTS, "judgments", "meta.jsonl"),
        new RunDirectory.Publication(FAILURES, "failures", "meta.jsonl"));
  }

  /**
   * One shard of items: each graded judgment becomes the meta-judge's request (id = the judgment id, promptId = the
   * item, prompt = the judge prompt it answered, system message first, response = {@link
   * BuildRationalizationPairs#completion}); a judgment whose item has no prompt gets none.
   */
  private static final class RequestsFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, Candidate> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, OutputReceiver<Candidate> out) {
      JoinPromptShards.Parts parts = JoinPromptShards.Parts.of(shard.getValue(), 2);
      Map<String, JudgePrompt> prompts = new HashMap<>();
      for (JudgePrompt jp : parts.<JudgePrompt>get(0)) {
        prompts.put(jp.itemId(), jp);
      }
      for (Judgment j : parts.<Judgment>get(1)) {
        JudgePrompt jp = prompts.get(j.candidateA());
        if (jp != null) {
          String prompt = jp.system() == null ? jp.prompt() : jp.system() + "\n\n" + jp.prompt();
          out.output(new Candidate(j.id(), j.candidateA(), prompt, null, BuildRationalizationPairs.completion(j), j.judge(), j.sample(), null, null));
        }
      }
    }
  }

  static List<Judgment> judgments(RunDirectory dir) {
    return dir.read("judgments", "meta.jsonl", Judgment.class);
  }

  static List<Failure> failures(RunDirectory dir) {
    return dir.read("failures", "meta.jsonl", Failure.class);
  }
}
