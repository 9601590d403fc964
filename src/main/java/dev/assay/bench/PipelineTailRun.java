package dev.assay.bench;

import dev.assay.consistency.MeasureConsistency;
import dev.assay.consensus.FilterByConsensus;
import dev.assay.curation.BuildPreferencePairs;
import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.io.Failure;
import dev.assay.io.ReadJsonl;
import dev.assay.io.WriteJsonl;
import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentCoder;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.PairPreferenceCoder;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModels;
import dev.assay.run.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The pipeline modes of {@code assay bench cpu}: the real transforms of the self-rewarding tail, wired as {@code
 * SelfRewardingStage.attach} wires them (reward models of kind {@code judge}, {@link MeasureConsistency}, {@link
 * FilterByConsensus}, {@link BuildPreferencePairs}, every output written as JSONL shards with TextIO and published by
 * {@link RunDirectory#publish}), on the runner given by a {@link RunnerChoice}, every grouping into {@code shards}
 * shards of the prompt id (the transforms' default is 16).
 *
 * <p>Inputs are read from the data folder's files by the pipeline ({@link TextIO}), never collected on the driver, so
 * the input size is not bounded by the driver's heap. The configuration is {@link BenchTail}'s. Failure modes: the
 * runner's exception when the pipeline fails (an {@link OutOfMemoryError} included), {@link
 * java.io.UncheckedIOException} when publishing fails.
 */
final class PipelineTailRun {
  private PipelineTailRun() {}

  /** Runs the tail over the files in {@code data} into a fresh run folder {@code runRoot}. */
  static TailOutcome run(String mode, Path data, Path runRoot, RunnerChoice runner, int shards, long judgmentsInFile) {
    long t0 = System.nanoTime();
    double cpu0 = TailOutcome.processCpuSeconds();
    RunDirectory dir = new RunDirectory(runRoot);
    dir.prepare();
    Pipeline p = Pipeline.create(runner.options());
    PCollection<Judgment> judgments = p.apply("ReadJudgments", ReadJsonl.of(Judgment.class, data.resolve(BenchTail.JUDGMENTS).toAbsolutePath().toString()).withCoder(JudgmentCoder.of()));
    PCollection<Candidate> candidates = p.apply("ReadCandidates", ReadJsonl.of(Candidate.class, data.resolve(BenchTail.CANDIDATES).toAbsolutePath().toString()).withCoder(CandidateCoder.of()));
    PCollection<CandidateReward> previousFile =
        p.apply("ReadPreviousRewards", ReadJsonl.of(CandidateReward.class, data.resolve(BenchTail.PREVIOUS_REWARDS).toAbsolutePath().toString()).withCoder(CandidateRewardCoder.of()));
    attach(candidates, judgments, previousFile, dir, runRoot, shards);
    p.run().waitUntilFinish();
    for (BenchTail.Output o : BenchTail.OUTPUTS) {
      dir.publish(o.name(), o.folder(), o.file());
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return TailOutcome.of(mode, judgmentsInFile, wall, TailOutcome.processCpuSeconds() - cpu0, dir);
  }

  /** The wiring of {@code SelfRewardingStage.attach} for {@link BenchTail}'s recipe. */
  private static void attach(
      PCollection<Candidate> candidates,
      PCollection<Judgment> judgments,
      PCollection<CandidateReward> previousFile,
      RunDirectory dir,
      Path recipeDir,
      int shards) {
    RewardModels models = RewardModels.create(recipeDir, 7, null).withShards(shards);
    List<PCollection<CandidateReward>> rewards = new ArrayList<>();
    List<PCollection<PairPreference>> preferences = new ArrayList<>();
    for (String judge : BenchTail.JUDGES) {
      RewardModelOutput out =
          models.apply(new RewardModelSpec(BenchTail.voter(judge), "judge", judge, null, null, null, null, null), judgments, candidates);
      rewards.add(out.rewards());
      preferences.add(out.preferences());
    }
    PCollection<CandidateReward> allRewards =
        PCollectionList.of(rewards).apply("AllRewards", Flatten.pCollections()).setCoder(CandidateRewardCoder.of());
    PCollection<PairPreference> allPreferences =
        PCollectionList.of(preferences).apply("AllPreferences", Flatten.pCollections()).setCoder(PairPreferenceCoder.of());
    write(allRewards, dir, "rewards");
    write(allPreferences, dir, "preferences");

    String current = BenchTail.CONSISTENCY.rewardModel();
    PCollection<CandidateReward> currentRewards = allRewards.apply("CurrentRewards", Filter.by(r -> r.rewardModel().equals(current)));
    PCollection<CandidateReward> previousRewards = previousFile.apply("PreviousRewards", Filter.by(r -> r.rewardModel().equals(current)));
    PCollectionTuple consistency =
        MeasureConsistency.inputs(currentRewards, previousRewards).apply(MeasureConsistency.with(BenchTail.CONSISTENCY).inShards(shards));
    write(consistency.get(MeasureConsistency.KEPT), dir, "consistency");
    write(consistency.get(MeasureConsistency.REJECTED), dir, "rejected-consistency");
    write(consistency.get(MeasureConsistency.SUMMARY), dir, "consistency-summary");

    PCollectionTuple consensus = FilterByConsensus.inputs(allRewards, allPreferences).apply(FilterByConsensus.with(BenchTail.CONSENSUS).inShards(shards));
    write(consensus.get(FilterByConsensus.KEPT), dir, "consensus");
    write(consensus.get(FilterByConsensus.REJECTED), dir, "rejected-consensus");

    String primary = BenchTail.CONSENSUS.primary();
    PCollectionTuple pairInputs =
        PCollectionTuple.of(BuildPreferencePairs.CONSENSUS, consensus.get(FilterByConsensus.KEPT))
            .and(BuildPreferencePairs.CANDIDATES, candidates)
            .and(BuildPreferencePairs.PRIMARY_REWARDS, allRewards.apply("PrimaryRewards", Filter.by(r -> r.rewardModel().equals(primary))))
            .and(BuildPreferencePairs.CONSISTENCY, consistency.get(MeasureConsistency.KEPT));
    PCollectionTuple pairs =
        pairInputs.apply(
            BuildPreferencePairs.with(BenchTail.PAIRS, BenchTail.CONSISTENCY.filters(), BenchTail.RUN_ID, BenchTail.ITERATION).withShards(shards));
    write(pairs.get(BuildPreferencePairs.PAIRS), dir, "pairs");
    write(pairs.get(BuildPreferencePairs.SFT), dir, "sft");
    write(pairs.get(BuildPreferencePairs.REJECTED), dir, "rejected-pairs");

    PCollection<Failure> failures =
        PCollectionList.of(consistency.get(MeasureConsistency.FAILURES))
            .and(consensus.get(FilterByConsensus.FAILURES))
            .apply("AllFailures", Flatten.pCollections());
    write(failures, dir, "failures");
  }

  private static <T> void write(PCollection<T> records, RunDirectory dir, String name) {
    records.apply("Write-" + name, WriteJsonl.to(dir.shardPrefix(name)));
  }
}
