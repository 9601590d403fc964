package dev.assay.bench;

import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.grouping.PromptShardOptions;
import dev.assay.io.Failure;
import dev.assay.grouping.ReadJsonl;
import dev.assay.io.WriteJsonl;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentCoder;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.pipeline.ScoreAndCuratePairs;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.run.RunDirectory;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;

/**
 * The pipeline modes of {@code assay bench cpu}: the self-rewarding scoring and curation wired as {@code
 * SelfRewardingStage.attach} wires it, one {@link ScoreAndCuratePairs} (the {@code judge} voters, CREAM consistency,
 * consensus, pairs and SFT in one grouping by prompt) and its sink, plus the failures written with {@link WriteJsonl},
 * every output published by {@link RunDirectory#publishAll}, on the runner given by a {@link RunnerChoice} with
 * {@code shards} prompt shards in its pipeline options ({@link PromptShardOptions}).
 *
 * <p>Inputs are read from the data folder's files by the pipeline ({@link ReadJsonl}), never collected on the driver,
 * so the input size is not bounded by the driver's heap. The configuration is {@link BenchRecipe}'s. Failure modes: the
 * runner's exception when the pipeline fails (an {@link OutOfMemoryError} included), {@link
 * java.io.UncheckedIOException} when publishing fails.
 */
final class PipelineRun {
  private PipelineRun() {}

  /** Runs the curation over the files in {@code data} into a fresh run folder {@code runRoot}. */
  static RunOutcome run(String mode, Path data, Path runRoot, RunnerChoice runner, int shards, long judgmentsInFile) {
    long t0 = System.nanoTime();
    double cpu0 = RunOutcome.processCpuSeconds();
    RunDirectory dir = new RunDirectory(runRoot);
    dir.prepare();
    PipelineOptions options = runner.options();
    options.as(PromptShardOptions.class).setPromptShards(shards);
    Pipeline p = Pipeline.create(options);
    PCollection<Judgment> judgments = p.apply("ReadJudgments", ReadJsonl.of(Judgment.class, data.resolve(BenchRecipe.JUDGMENTS).toAbsolutePath().toString()).withCoder(JudgmentCoder.of()));
    PCollection<Candidate> candidates = p.apply("ReadCandidates", ReadJsonl.of(Candidate.class, data.resolve(BenchRecipe.CANDIDATES).toAbsolutePath().toString()).withCoder(CandidateCoder.of()));
    PCollection<CandidateReward> previousFile =
        p.apply("ReadPreviousRewards", ReadJsonl.of(CandidateReward.class, data.resolve(BenchRecipe.PREVIOUS_REWARDS).toAbsolutePath().toString()).withCoder(CandidateRewardCoder.of()));
    ScoreAndCuratePairs.Result curated =
        ScoreAndCuratePairs.inputs(judgments, candidates)
            .and(ScoreAndCuratePairs.PREVIOUS_REWARDS, previousFile)
            .apply(ScoreAndCuratePairs.with(BenchRecipe.settings()));
    curated.prompts()
        .apply("WriteCuration", ScoreAndCuratePairs.sink(dir.work().toString()))
        .apply("Write-" + ScoreAndCuratePairs.CONSISTENCY_SUMMARY.name(), WriteJsonl.to(dir.shardPrefix(ScoreAndCuratePairs.CONSISTENCY_SUMMARY.name())));
    p.run().waitUntilFinish();
    dir.publishAll(BenchRecipe.OUTPUTS);
    double wall = (System.nanoTime() - t0) / 1e9;
    return RunOutcome.of(mode, judgmentsInFile, wall, RunOutcome.processCpuSeconds() - cpu0, dir);
  }
}
