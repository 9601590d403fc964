package dev.assay.rewards;

import dev.assay.run.StageMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The names of a voter's Beam counters, shared by every reward-model type and by the pipeline's accounting: a voter
 * named {@code n} counts under the stage {@code reward.<n>} (namespace {@value StageMetrics#NAMESPACE}).
 *
 * <p>It lives in the core, not in the dispatcher {@link RewardModels}, so a type's package names its counters
 * without depending on the class that applies every type. Contract: pure name building; {@link #counter} is called
 * from a DoFn's {@code @Setup}, as {@link StageMetrics} requires. No failure modes beyond a null name.
 */
public final class VoterMetrics {
  private VoterMetrics() {}

  /** The stage name of a voter's counters: {@code reward.<name>}. */
  public static String stage(String rewardModel) {
    return "reward." + rewardModel;
  }

  /** The full counter name (namespace {@value StageMetrics#NAMESPACE}) of one of a voter's counts. */
  public static String counterName(String rewardModel, String what) {
    return StageMetrics.stageCounter(stage(rewardModel), what);
  }

  /** The counter {@code what} of the voter {@code rewardModel}; create it in a DoFn's {@code @Setup}. */
  public static Counter counter(String rewardModel, String what) {
    return Metrics.counter(StageMetrics.NAMESPACE, counterName(rewardModel, what));
  }
}
