package dev.assay.pipeline;

import dev.assay.config.RationalizationSpec;
import dev.assay.curation.BuildRationalizationPairs;
import dev.assay.curation.JudgePrompt;
import dev.assay.generation.Candidate;
import dev.assay.io.Failure;
import dev.assay.io.ReadJsonl;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.judging.SampleJudgments;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
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
 * never counted as a voter, rationalized or audited as one) and {@code failures/meta.jsonl}. Accounting (stage
 * {@code judge.<meta>}): {@code in = meta-candidates x n = ok + rejected + failed}, as for any judge stage.
 */
final class MetaJudgeStage {
  static final String JUDGMENTS = "judgments-meta";
  static final String FAILURES = "failures-meta";

  private MetaJudgeStage() {}

  /** One meta-candidate per ok absolute judgment of the rationalized judge, in judgment-id order. */
  static List<Candidate> candidates(
      RationalizationSpec spec,
      Path recipeDir,
      List<JudgeDefinition> judges,
      PrometheusEvalImport.Result imported,
      List<Candidate> candidates,
      List<Judgment> judgments) {
    Map<String, JudgePrompt> prompts = RationalizationStage.judgePromptsByItem(spec, recipeDir, judges, imported, candidates);
    List<Candidate> out = new ArrayList<>();
    for (Judgment j : judgments) {
      if (!j.judge().equals(spec.judge()) || j.kind() != JudgmentKind.ABSOLUTE || j.status() != JudgmentStatus.OK) {
        continue;
      }
      JudgePrompt jp = prompts.get(j.candidateA());
      if (jp == null) {
        continue; // no prompt, no pair either: BuildRationalizationPairs rejects the item
      }
      String prompt = jp.system() == null ? jp.prompt() : jp.system() + "\n\n" + jp.prompt();
      out.add(
          new Candidate(
              j.id(), j.candidateA(), prompt, null, BuildRationalizationPairs.completion(j), j.judge(), j.sample(), null, null));
    }
    out.sort(java.util.Comparator.comparing(Candidate::id));
    return out;
  }

  /** Runs the meta-judge over {@code metaCandidates} in its own pipeline and publishes its outputs. */
  static PipelineResult run(
      JudgeDefinition meta,
      List<Candidate> metaCandidates,
      long seed,
      RunDirectory dir,
      BackendProvider provider,
      RunnerChoice runner) {
    Pipeline p = Pipeline.create(runner.options());
    PCollectionTuple judged =
        p.apply("ReadMetaCandidates", ReadJsonl.of(Candidate.class, dir.stage("meta-candidates", metaCandidates)))
            .apply("Judge-" + meta.name(), SampleJudgments.by(meta, seed, dir.ledger(), provider));
    RecipeRunner.writeJsonl(judged.get(SampleJudgments.JUDGMENTS), dir, JUDGMENTS);
    RecipeRunner.writeJsonl(judged.get(SampleJudgments.FAILURES), dir, FAILURES);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Ledger.release(dir.ledger());
    dir.publishAll(List.of(
        new RunDirectory.Publication(JUDGMENTS, "judgments", "meta.jsonl"),
        new RunDirectory.Publication(FAILURES, "failures", "meta.jsonl")));
    return result;
  }

  static List<Judgment> judgments(RunDirectory dir) {
    return dir.read("judgments", "meta.jsonl", Judgment.class);
  }

  static List<Failure> failures(RunDirectory dir) {
    return dir.read("failures", "meta.jsonl", Failure.class);
  }

  /** {@code in = candidates x n = ok + rejected + failed}; calls refused by the budget cap count as failed. */
  static StageCount account(RunDirectory dir, JudgeDefinition meta, long nCandidates, String budgetClass) {
    long ok = 0;
    long rejected = 0;
    long failed = 0;
    Map<String, Long> reasons = new TreeMap<>();
    for (Judgment j : judgments(dir)) {
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
    for (Failure f : failures(dir)) {
      if (f.stage().equals(SampleJudgments.stage(meta.name())) && f.errorClass().equals(budgetClass)) {
        failed++;
        reasons.merge(budgetClass, 1L, Long::sum);
      }
    }
    return new StageCount(nCandidates * meta.n(), ok, rejected, failed, reasons);
  }
}
