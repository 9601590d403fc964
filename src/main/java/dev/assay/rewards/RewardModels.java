package dev.assay.rewards;

import dev.assay.generation.Candidate;
import dev.assay.judging.Judgment;
import dev.assay.run.StageMetrics;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Applies the configured reward models (voters) of a recipe: given a {@link RewardModelSpec} and the recipe's
 * judgments and candidates, finds the spec's {@link RewardModelType} in {@link RewardModelTypes} and returns the
 * voter's {@link RewardModelOutput}. Built-in types: {@link JudgeVoter}, {@link PairwiseVoter}, {@link
 * ImplicitVoter}, {@link TrainedVoter}, {@link VerifierVoter}; others register themselves.
 *
 * <p>Each voter is applied under the step name {@code <Transform>[<voter name>]}, so several voters of one type sit
 * side by side with stable names.
 *
 * <p>Failure modes: {@link IllegalStateException} for a spec whose type is not registered, or an {@code implicit}
 * spec when no hook was given; {@link dev.assay.io.InputException} for a bad labels file; the transforms' own
 * failures at run time.
 */
public final class RewardModels {
  /**
   * The hook through which the {@code implicit} reward model (DPO implicit reward from token log-probs) plugs in:
   * implemented by {@code ScoreWithImplicitReward}, which owns the endpoints and the ledger it needs. It must return
   * a transform whose outputs are tagged with {@code spec.name()}.
   */
  @FunctionalInterface
  public interface ImplicitRewards {
    PTransform<PCollection<Candidate>, RewardModelOutput> forSpec(RewardModelSpec.Implicit spec);
  }

  private final RewardModelType.Context context;

  private RewardModels(RewardModelType.Context context) {
    this.context = context;
  }

  /**
   * @param recipeDir the folder the recipe was read from ({@code labels:} paths are relative to it)
   * @param runSeed the run's master seed
   * @param implicit the {@code implicit} hook, or null when the recipe has no implicit voter
   */
  public static RewardModels create(Path recipeDir, long runSeed, ImplicitRewards implicit) {
    Objects.requireNonNull(recipeDir, "recipeDir");
    return new RewardModels(new RewardModelType.Context(recipeDir, runSeed, implicit));
  }

  /** Applies the reward model of {@code spec} and returns its outputs, tagged with {@code spec.name()}. */
  public RewardModelOutput apply(RewardModelSpec spec, PCollection<Judgment> judgments, PCollection<Candidate> candidates) {
    Objects.requireNonNull(spec, "spec");
    return applyTyped(spec, new RewardModelType.Inputs(judgments, candidates));
  }

  private <S extends RewardModelSpec> RewardModelOutput applyTyped(S spec, RewardModelType.Inputs inputs) {
    return RewardModelTypes.of(spec).apply(spec, inputs, context);
  }

  /** Trains the {@code trained} voter of {@code spec} on its labels (driver side, before the pipeline runs). */
  public TrainedRewardModel train(RewardModelSpec.Trained spec) {
    return TrainedVoter.train(spec, context);
  }

  /** The stage name of a voter's counters: {@code reward.<name>}. */
  public static String stage(String rewardModel) {
    return "reward." + rewardModel;
  }

  /** The full counter name (namespace {@value StageMetrics#NAMESPACE}) of one of a voter's counts. */
  public static String counterName(String rewardModel, String what) {
    return StageMetrics.stageCounter(stage(rewardModel), what);
  }

  static Counter counter(String rewardModel, String what) {
    return Metrics.counter(StageMetrics.NAMESPACE, counterName(rewardModel, what));
  }
}
