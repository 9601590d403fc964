package dev.assay.rewards.pairwise;

import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModelType;

/** The {@code pairwise} reward model type: {@link ScoreWithPairwiseJudge} over the pairwise verdicts of {@code spec.judge}. */
public final class PairwiseVoter implements RewardModelType<RewardModelSpec.Pairwise> {
  @Override
  public String name() {
    return RewardModelSpec.Pairwise.TYPE;
  }

  @Override
  public Class<RewardModelSpec.Pairwise> spec() {
    return RewardModelSpec.Pairwise.class;
  }

  @Override
  public RewardModelOutput apply(RewardModelSpec.Pairwise spec, Inputs inputs, Context context) {
    return inputs.judgments().apply(RewardModelType.step("ScoreWithPairwiseJudge", spec), ScoreWithPairwiseJudge.of(spec));
  }
}
