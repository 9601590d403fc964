package dev.assay.rewards.judge;

import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModelType;

/** The {@code judge} reward model type: {@link ScoreWithJudge} over the absolute judgments of {@code spec.judge}. */
public final class JudgeVoter implements RewardModelType<RewardModelSpec.Judge> {
  @Override
  public String name() {
    return RewardModelSpec.Judge.TYPE;
  }

  @Override
  public Class<RewardModelSpec.Judge> spec() {
    return RewardModelSpec.Judge.class;
  }

  @Override
  public RewardModelOutput apply(RewardModelSpec.Judge spec, Inputs inputs, Context context) {
    return inputs.judgments().apply(RewardModelType.step("ScoreWithJudge", spec), ScoreWithJudge.of(spec));
  }
}
