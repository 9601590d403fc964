package dev.assay.rewards.trained;

import dev.assay.generation.Candidate;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.rewards.CompareRewards;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.PreferenceRule;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.VoterMetrics;
import dev.assay.run.StageMetrics;
import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code trained} reward model: a {@link TrainedRewardModel} (Tribuo linear regression on text features, trained
 * on earlier iterations' consensus labels) applied to every candidate's response. A cheap extra voter that needs no
 * model call.
 *
 * <p><b>Reward.</b> The predicted label ({@code samples} 1, {@code usable} 1, {@code spread} 0); on the labels' scale.
 * <b>Pair probability.</b> {@code Phi((r1 - r2) / (sigma sqrt 2))} with sigma the model's training RMSE
 * ({@link PreferenceRule#gaussian}): near 0.5 when the predictions differ by less than the model's own error, near 0
 * or 1 when they differ by much more. Votes 1. Pairs are formed by {@link CompareRewards} (sharded grouping).
 *
 * <p>The model is trained before the pipeline is built and serialized into the DoFn; training problems surface at
 * construction time ({@link TrainedRewardModel#train}). Counters (stage {@code reward.<name>}): {@code in},
 * {@code out}, {@code rejected} (a prediction that is not finite; none are expected), {@code pairs}.
 */
public final class ScoreWithTrainedModel extends PTransform<PCollection<Candidate>, RewardModelOutput> {
  private final String rewardModel;
  private final TrainedRewardModel model;

  private ScoreWithTrainedModel(String rewardModel, TrainedRewardModel model) {
    super("ScoreWithTrainedModel");
    this.rewardModel = Objects.requireNonNull(rewardModel, "rewardModel");
    this.model = Objects.requireNonNull(model, "model");
  }

  /** @param rewardModel the voter's name, written on every output */
  public static ScoreWithTrainedModel of(String rewardModel, TrainedRewardModel model) {
    return new ScoreWithTrainedModel(rewardModel, model);
  }

  @Override
  public RewardModelOutput expand(PCollection<Candidate> candidates) {
    PCollection<CandidateReward> rewards =
        candidates.apply("PredictReward", ParDo.of(new PredictFn(rewardModel, model))).setCoder(CandidateRewardCoder.of());
    PCollection<PairPreference> preferences =
        rewards.apply(CompareRewards.with(rewardModel, PreferenceRule.gaussian(model.residualSd())));
    return RewardModelOutput.of(rewards, preferences);
  }

  private static final class PredictFn extends DoFn<Candidate, CandidateReward> {
    private final String rewardModel;
    private final TrainedRewardModel model;
    private transient StageMetrics metrics;

    PredictFn(String rewardModel, TrainedRewardModel model) {
      this.rewardModel = rewardModel;
      this.model = model;
    }

    @Setup
    public void setup() {
      metrics = new StageMetrics(VoterMetrics.stage(rewardModel), null);
    }

    @ProcessElement
    public void process(@Element Candidate c, OutputReceiver<CandidateReward> out) {
      double r = model.predict(c.response());
      metrics.in(1);
      if (Double.isFinite(r)) {
        metrics.out(1);
        out.output(new CandidateReward(rewardModel, c.promptId(), c.id(), r, 1, 1, 0));
      } else {
        metrics.rejected(1);
        out.output(new CandidateReward(rewardModel, c.promptId(), c.id(), Double.NaN, 1, 0, 0));
      }
    }
  }
}
