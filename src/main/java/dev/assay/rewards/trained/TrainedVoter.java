package dev.assay.rewards.trained;

import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModelType;

/** The {@code trained} reward model type: {@link ScoreWithTrainedModel}, trained on the driver before the pipeline runs on {@code spec.labels} (relative to the recipe folder) with the seed {@code Seeds.derive(runSeed, "reward", name)}. */
public final class TrainedVoter implements RewardModelType<RewardModelSpec.Trained> {
  @Override
  public String name() {
    return RewardModelSpec.Trained.TYPE;
  }

  @Override
  public Class<RewardModelSpec.Trained> spec() {
    return RewardModelSpec.Trained.class;
  }

  @Override
  public RewardModelOutput apply(RewardModelSpec.Trained spec, Inputs inputs, Context context) {
    TrainedRewardModel model = train(spec, context);
    return inputs.candidates().apply(RewardModelType.step("ScoreWithTrainedModel", spec), ScoreWithTrainedModel.of(spec.name(), model));
  }

  /** Trains the voter's model on its labels (driver side); {@link dev.assay.io.InputException} for a bad file. */
  public static TrainedRewardModel train(RewardModelSpec.Trained spec, Context context) {
    return TrainedRewardModel.train(
        context.recipeDir().resolve(spec.labels()), dev.assay.run.Seeds.derive(context.runSeed(), "reward", spec.name()));
  }
}
