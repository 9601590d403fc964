package dev.assay.rewards.implicit;

import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModelType;

/** The {@code implicit} reward model type: the DPO implicit reward from token log-probs, through the run's {@link dev.assay.rewards.ImplicitRewards} hook (it owns the endpoints and the ledger the voter needs). */
public final class ImplicitVoter implements RewardModelType<RewardModelSpec.Implicit> {
  @Override
  public String name() {
    return RewardModelSpec.Implicit.TYPE;
  }

  @Override
  public Class<RewardModelSpec.Implicit> spec() {
    return RewardModelSpec.Implicit.class;
  }

  @Override
  public RewardModelOutput apply(RewardModelSpec.Implicit spec, Inputs inputs, Context context) {
    if (context.implicit() == null) {
      throw new IllegalStateException(
          "reward model " + spec.name() + " is of type implicit, but the run gave no implicit reward hook");
    }
    return inputs.candidates().apply(RewardModelType.step("ScoreWithImplicitReward", spec), context.implicit().forSpec(spec));
  }
}
