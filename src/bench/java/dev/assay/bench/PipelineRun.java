package dev.assay.bench;

import dev.assay.consistency.MeasureConsistency;
import dev.assay.consensus.FilterByConsensus;
import dev.assay.curation.pairs.BuildPreferencePairs;
import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.io.Failure;
import dev.assay.grouping.ReadJsonl;
import dev.assay.io.WriteJsonl;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentCoder;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.pipeline.ScoreAndCuratePairs;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.run.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The pipeline modes of {@code assay bench cpu}: the self-rewarding scoring and curation (ScoreAndCuratePairs) wired as {@code SelfRewardingStage.attach}
 * wires it, one {@link ScoreAndCuratePairs} (the {@code judge} voters, CREAM consistency, consensus, pairs and SFT in
 * one shuffle, each shard's outputs written to its own files) plus the consistency summary and failures written with
 * {@link WriteJsonl}, every output published by {@link RunDirectory#publish}, on the runner given by a {@link
 * RunnerChoice} in {@code shards} prompt shards.
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
    Pipeline p = Pipeline.create(runner.options());
    PCollection<Judgment> judgments = p.apply("ReadJudgments", ReadJsonl.of(Judgment.class, data.resolve(BenchRecipe.JUDGMENTS).toAbsolutePath().toString()).withCoder(JudgmentCoder.of()));
    PCollection<Candidate> candidates = p.apply("ReadCandidates", ReadJsonl.of(Candidate.class, data.resolve(BenchRecipe.CANDIDATES).toAbsolutePath().toString()).withCoder(CandidateCoder.of()));
    PCollection<CandidateReward> previousFile =
        p.apply("ReadPreviousRewards", ReadJsonl.of(CandidateReward.class, data.resolve(BenchRecipe.PREVIOUS_REWARDS).toAbsolutePath().toString()).withCoder(CandidateRewardCoder.of()));
    attach(candidates, judgments, previousFile, dir, shards);
    p.run().waitUntilFinish();
    dir.publishAll(BenchRecipe.OUTPUTS);
    double wall = (System.nanoTime() - t0) / 1e9;
    return RunOutcome.of(mode, judgmentsInFile, wall, RunOutcome.processCpuSeconds() - cpu0, dir);
  }

  /** The wiring of {@code SelfRewardingStage.attach} for {@link BenchRecipe}'s recipe: one {@link ScoreAndCuratePairs}. */
  private static void attach(
      PCollection<Candidate> candidates,
      PCollection<Judgment> judgments,
      PCollection<CandidateReward> previousFile,
      RunDirectory dir,
      int shards) {
    List<RewardModelSpec.Judge> voters = new ArrayList<>();
    for (String judge : BenchRecipe.JUDGES) {
      voters.add(new RewardModelSpec.Judge(BenchRecipe.voter(judge), judge));
    }
    ScoreAndCuratePairs.Settings settings =
        new ScoreAndCuratePairs.Settings(voters, voters.stream().map(RewardModelSpec.Judge::name).toList(), BenchRecipe.CONSISTENCY,
            BenchRecipe.CONSENSUS, BenchRecipe.PAIRS, BenchRecipe.RUN_ID, BenchRecipe.ITERATION, shards);
    PCollectionTuple curated =
        ScoreAndCuratePairs.inputs(judgments, candidates)
            .and(ScoreAndCuratePairs.PREVIOUS_REWARDS, previousFile)
            .apply(ScoreAndCuratePairs.with(settings, dir.work().toString()));
    write(curated.get(MeasureConsistency.SUMMARY), dir, ScoreAndCuratePairs.CONSISTENCY_SUMMARY);
    PCollection<Failure> failures =
        PCollectionList.of(curated.get(MeasureConsistency.FAILURES))
            .and(curated.get(FilterByConsensus.FAILURES))
            .apply("AllFailures", Flatten.pCollections());
    write(failures, dir, BenchRecipe.FAILURES);
  }

  private static <T> void write(PCollection<T> records, RunDirectory dir, String name) {
    records.apply("Write-" + name, WriteJsonl.to(dir.shardPrefix(name)));
  }
}
