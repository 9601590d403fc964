package dev.assay.pipeline;

import dev.assay.pipeline.recipe.Recipe;
import dev.assay.rewards.PairPreferenceCoder;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.consistency.ConsistencySummary;
import dev.assay.consistency.ConsistencySummary;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.generation.Candidate;
import dev.assay.llm.BackendProvider;
import dev.assay.io.Failure;
import dev.assay.io.InputException;
import dev.assay.grouping.ReadJsonl;
import dev.assay.judging.Judgment;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModels;
import dev.assay.rewards.implicit.ScoreWithImplicitReward;
import dev.assay.rewards.implicit.ScoringFormat;
import dev.assay.run.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Wires the self-rewarding scoring and curation of a run: the reward models that are not of type {@code judge}, each
 * its own transform, then {@link ScoreAndCuratePairs} (the judge voters, CREAM consistency between the current and the
 * previous iteration's rewards, consensus across the voters, and pair building, in one grouping by prompt) and its
 * sink.
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
      Map<String, BackendProvider> backends) {
    RewardModels models =
        RewardModels.create(
                recipeDir,
                recipe.seed(),
                spec -> new ImplicitVoter(ScoreWithImplicitReward.from(spec, recipe.endpoints(), backends, ScoringFormat.TRANSCRIPT, dir.ledger())));
    List<RewardModelSpec.Judge> judgeVoters = new ArrayList<>();
    List<PCollection<CandidateReward>> otherRewards = new ArrayList<>();
    List<PCollection<PairPreference>> otherPreferences = new ArrayList<>();
    for (RewardModelSpec spec : recipe.rewardModels()) {
      if (spec instanceof RewardModelSpec.Judge judge) {
        judgeVoters.add(judge); // scored inside the curation's one shuffle
        continue;
      }
      RewardModelOutput out = models.apply(spec, judgments, candidates);
      otherRewards.add(out.rewards());
      otherPreferences.add(out.preferences());
      if (out.has(ScoreWithImplicitReward.FAILURES)) {
        failures.add(out.get(ScoreWithImplicitReward.FAILURES));
      }
    }
    ConsistencySpec cs = recipe.consistency();
    PCollectionTuple inputs = ScoreAndCuratePairs.inputs(judgments, candidates);
    if (!otherRewards.isEmpty()) {
      inputs = inputs
          .and(ScoreAndCuratePairs.OTHER_REWARDS, PCollectionList.of(otherRewards).apply("OtherRewards", Flatten.pCollections()).setCoder(CandidateRewardCoder.of()))
          .and(ScoreAndCuratePairs.OTHER_PREFERENCES,
              PCollectionList.of(otherPreferences).apply("OtherPreferences", Flatten.pCollections()).setCoder(PairPreferenceCoder.of()));
    }
    if (cs != null && cs.previousJudge() == null) {
      inputs = inputs.and(ScoreAndCuratePairs.PREVIOUS_REWARDS,
          candidates.getPipeline().apply("PreviousRewards",
              ReadJsonl.of(CandidateReward.class, previousRewards(recipeDir.resolve(cs.previous()))).withCoder(CandidateRewardCoder.of())));
    }
    PairSpec pairSpec = recipe.pairs() == null ? PairSpec.defaults() : recipe.pairs();
    ScoreAndCuratePairs.Result curated = inputs.apply(ScoreAndCuratePairs.with(settings(recipe, judgeVoters, pairSpec, runId)));
    // Curation failures are written by the sink, under the run's one failures output.
    PCollection<ConsistencySummary> summary = curated.prompts().apply("WriteCuration", ScoreAndCuratePairs.sink(dir.work().toString()));
    if (cs != null) {
      RunPlan.writeJsonl(summary, dir, ScoreAndCuratePairs.CONSISTENCY_SUMMARY.name());
    }
  }

  /**
   * The curation's settings for a recipe. Consensus voters: {@code consensus.models}, or every configured reward model
   * (DESIGN: "k of the m configured reward models").
   */
  static ScoreAndCuratePairs.Settings settings(Recipe recipe, List<RewardModelSpec.Judge> judgeVoters, PairSpec pairs, String runId) {
    List<String> voters = new ArrayList<>();
    if (recipe.consensus() != null) {
      if (recipe.consensus().models() != null) {
        voters.addAll(recipe.consensus().models());
      } else {
        recipe.rewardModels().forEach(m -> voters.add(m.name()));
      }
    }
    return new ScoreAndCuratePairs.Settings(judgeVoters, voters, recipe.consistency(), recipe.consensus(), pairs, runId, recipe.iteration());
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

  static List<RunDirectory.Publication> outputs(Recipe recipe) {
    return ScoreAndCuratePairs.publications(recipe.consistency() != null, recipe.consensus() != null);
  }

  /** The consistency summary the run wrote, or null. */
  static ConsistencySummary summary(RunDirectory dir) {
    List<ConsistencySummary> s = dir.read("consistency", "summary.json", ConsistencySummary.class);
    return s.isEmpty() ? null : s.get(0);
  }
}
