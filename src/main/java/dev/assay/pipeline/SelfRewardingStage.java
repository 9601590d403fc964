package dev.assay.pipeline;

import dev.assay.config.Recipe;
import dev.assay.rewards.PairPreferenceCoder;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.consensus.ConsensusPair;
import dev.assay.consensus.FilterByConsensus;
import dev.assay.consensus.RejectedPair;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.consistency.ConsistencySummary;
import dev.assay.consistency.MeasureConsistency;
import dev.assay.curation.BuildPreferencePairs;
import dev.assay.curation.PairSpec;
import dev.assay.curation.PreferencePair;
import dev.assay.curation.RejectedPreference;
import dev.assay.generation.Candidate;
import dev.assay.io.Failure;
import dev.assay.io.InputException;
import dev.assay.io.ReadJsonl;
import dev.assay.judging.Judgment;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModels;
import dev.assay.rewards.ScoreWithImplicitReward;
import dev.assay.rewards.ScoringFormat;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Wires the self-rewarding tail of a run: reward models (each a voter) over the judgments and candidates, CREAM
 * consistency between the current and the previous iteration's rewards, consensus across the voters, and pair
 * building, every grouping in the runner's number of prompt shards ({@link RunnerChoice#shards}).
 *
 * <p>Files: {@code rewards/rewards.jsonl} and {@code rewards/preferences.jsonl} (every voter),
 * {@code consistency/consistency.jsonl} and {@code consistency/summary.json}, {@code pairs/consensus.jsonl} (pairs
 * the voters agree on), {@code pairs/pairs.jsonl} and {@code sft/sft.jsonl} (what exporters read), and
 * {@code rejected/{consistency,consensus,pairs}.jsonl} with reasons.
 */
final class SelfRewardingStage {
  private SelfRewardingStage() {}

  static void attach(
      Recipe recipe,
      Path recipeDir,
      PCollection<Candidate> candidates,
      PCollection<Judgment> judgments,
      RunDirectory dir,
      String runId,
      List<PCollection<Failure>> failures,
      int shards) {
    RewardModels models =
        RewardModels.create(
                recipeDir,
                recipe.seed(),
                spec -> new ImplicitVoter(ScoreWithImplicitReward.from(spec, recipe.endpoints(), ScoringFormat.TRANSCRIPT, dir.ledger())))
            .withShards(shards);
    List<PCollection<CandidateReward>> rewards = new ArrayList<>();
    List<PCollection<PairPreference>> preferences = new ArrayList<>();
    for (RewardModelSpec spec : recipe.rewardModels()) {
      RewardModelOutput out = models.apply(spec, judgments, candidates);
      rewards.add(out.rewards());
      preferences.add(out.preferences());
      if (out.has(ScoreWithImplicitReward.FAILURES)) {
        failures.add(out.get(ScoreWithImplicitReward.FAILURES));
      }
    }
    PCollection<CandidateReward> allRewards =
        PCollectionList.of(rewards).apply("AllRewards", Flatten.pCollections()).setCoder(CandidateRewardCoder.of());
    PCollection<PairPreference> allPreferences =
        PCollectionList.of(preferences).apply("AllPreferences", Flatten.pCollections()).setCoder(PairPreferenceCoder.of());
    RecipeRunner.writeJsonl(allRewards, dir, "rewards");
    RecipeRunner.writeJsonl(allPreferences, dir, "preferences");

    PCollectionTuple consistency = null;
    ConsistencySpec cs = recipe.consistency();
    if (cs != null) {
      String current = cs.rewardModel();
      PCollection<CandidateReward> currentRewards = allRewards.apply("CurrentRewards", Filter.by(r -> r.rewardModel().equals(current)));
      PCollection<CandidateReward> previousRewards =
          cs.previousJudge() != null
              ? models.apply(new RewardModelSpec("previous:" + cs.previousJudge(), "judge", cs.previousJudge(), null, null, null, null, null), judgments, candidates).rewards()
              : candidates
                  .getPipeline()
                  .apply("PreviousRewards", ReadJsonl.of(CandidateReward.class, previousRewards(recipeDir.resolve(cs.previous()))).withCoder(CandidateRewardCoder.of()))
                  .apply("PreviousOf-" + current, Filter.by(r -> r.rewardModel().equals(current)));
      consistency = MeasureConsistency.inputs(currentRewards, previousRewards).apply(MeasureConsistency.with(cs).inShards(shards));
      RecipeRunner.writeJsonl(consistency.get(MeasureConsistency.KEPT), dir, "consistency");
      RecipeRunner.writeJsonl(consistency.get(MeasureConsistency.REJECTED), dir, "rejected-consistency");
      RecipeRunner.writeJsonl(consistency.get(MeasureConsistency.SUMMARY), dir, "consistency-summary");
      failures.add(consistency.get(MeasureConsistency.FAILURES));
    }

    if (recipe.consensus() == null) {
      return;
    }
    PCollectionTuple consensus = FilterByConsensus.inputs(allRewards, allPreferences).apply(FilterByConsensus.with(recipe.consensus()).inShards(shards));
    RecipeRunner.writeJsonl(consensus.get(FilterByConsensus.KEPT), dir, "consensus");
    RecipeRunner.writeJsonl(consensus.get(FilterByConsensus.REJECTED), dir, "rejected-consensus");
    failures.add(consensus.get(FilterByConsensus.FAILURES));

    String primary = recipe.consensus().primary();
    PCollectionTuple pairInputs =
        PCollectionTuple.of(BuildPreferencePairs.CONSENSUS, consensus.get(FilterByConsensus.KEPT))
            .and(BuildPreferencePairs.CANDIDATES, candidates)
            .and(BuildPreferencePairs.PRIMARY_REWARDS, allRewards.apply("PrimaryRewards", Filter.by(r -> r.rewardModel().equals(primary))));
    boolean filter = false;
    if (consistency != null) {
      pairInputs = pairInputs.and(BuildPreferencePairs.CONSISTENCY, consistency.get(MeasureConsistency.KEPT));
      filter = ConsistencySpec.FILTER.equals(cs.mode());
    }
    PairSpec pairSpec = recipe.pairs() == null ? PairSpec.defaults() : recipe.pairs();
    PCollectionTuple pairs = pairInputs.apply(BuildPreferencePairs.with(pairSpec, filter, runId, recipe.iteration()).withShards(shards));
    RecipeRunner.writeJsonl(pairs.get(BuildPreferencePairs.PAIRS), dir, "pairs");
    RecipeRunner.writeJsonl(pairs.get(BuildPreferencePairs.SFT), dir, "sft");
    RecipeRunner.writeJsonl(pairs.get(BuildPreferencePairs.REJECTED), dir, "rejected-pairs");
  }

  /** Presents the implicit reward model's tuple (rewards, preferences, failures) as a voter's output. */
  private static final class ImplicitVoter extends PTransform<PCollection<Candidate>, RewardModelOutput> {
    private final ScoreWithImplicitReward score;

    ImplicitVoter(ScoreWithImplicitReward score) {
      super("ImplicitVoter");
      this.score = score;
    }

    @Override
    public RewardModelOutput expand(PCollection<Candidate> candidates) {
      return RewardModelOutput.of(candidates.apply(score));
    }
  }

  /**
   * The previous iteration's published rewards file.
   *
   * @throws InputException when {@code previousRun} has none (not a run directory, or a run without reward models)
   */
  private static String previousRewards(Path previousRun) {
    Path file = new RunDirectory(previousRun).output("rewards", "rewards.jsonl");
    if (!java.nio.file.Files.exists(file)) {
      throw new InputException(file.toString(), 0, "consistency.previous", "the previous run has no rewards/rewards.jsonl");
    }
    return file.toString();
  }

  static void publish(Recipe recipe, RunDirectory dir) {
    dir.publish("rewards", "rewards", "rewards.jsonl");
    dir.publish("preferences", "rewards", "preferences.jsonl");
    if (recipe.consistency() != null) {
      dir.publish("consistency", "consistency", "consistency.jsonl");
      dir.publish("rejected-consistency", "rejected", "consistency.jsonl");
      dir.publish("consistency-summary", "consistency", "summary.json");
    }
    if (recipe.consensus() != null) {
      dir.publish("consensus", "pairs", "consensus.jsonl");
      dir.publish("rejected-consensus", "rejected", "consensus.jsonl");
      dir.publish("pairs", "pairs", "pairs.jsonl");
      dir.publish("sft", "sft", "sft.jsonl");
      dir.publish("rejected-pairs", "rejected", "pairs.jsonl");
    }
  }

  /** The consistency summary the run wrote, or null. */
  static ConsistencySummary summary(RunDirectory dir) {
    List<ConsistencySummary> s = dir.read("consistency", "summary.json", ConsistencySummary.class);
    return s.isEmpty() ? null : s.get(0);
  }

  /**
   * Accounting of the tail from the published files. Consensus: every prompt the primary rewarded yields a kept or
   * a rejected pair, or a failure ({@code consensusFailed}, from the run's failure tally, so failures.jsonl is not
   * read a second time). Pairs: every kept consensus pair becomes a pair or a rejection.
   */
  static Map<String, StageCount> account(Recipe recipe, RunDirectory dir, long consensusFailed) {
    Map<String, StageCount> out = new LinkedHashMap<>();
    ConsistencySummary summary = summary(dir);
    if (summary != null) {
      out.put(MeasureConsistency.STAGE, summary.stageCount());
    }
    if (recipe.consensus() == null) {
      return out;
    }
    String primary = recipe.consensus().primary();
    Set<String> prompts = new HashSet<>();
    dir.forEach("rewards", "rewards.jsonl", CandidateReward.class, r -> {
      if (r.rewardModel().equals(primary)) {
        prompts.add(r.promptId());
      }
    });
    long kept = dir.count("pairs", "consensus.jsonl");
    Map<String, Long> reasons = new TreeMap<>();
    dir.forEach("rejected", "consensus.jsonl", RejectedPair.class, r -> reasons.merge(r.reason(), 1L, Long::sum));
    long rejected = reasons.values().stream().mapToLong(Long::longValue).sum();
    out.put(FilterByConsensus.STAGE, new StageCount(prompts.size(), kept, rejected, consensusFailed, reasons));
    long pairs = dir.count("pairs", "pairs.jsonl");
    Map<String, Long> pairReasons = new TreeMap<>();
    dir.forEach("rejected", "pairs.jsonl", RejectedPreference.class, r -> pairReasons.merge(r.reason(), 1L, Long::sum));
    long pairRejections = pairReasons.values().stream().mapToLong(Long::longValue).sum();
    out.put(BuildPreferencePairs.STAGE, new StageCount(kept, pairs, pairRejections, 0, pairReasons));
    return out;
  }
}
