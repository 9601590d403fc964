package dev.assay.rewards;

import dev.assay.run.PromptShards;
import dev.assay.generation.Candidate;
import dev.assay.judging.Judgment;
import dev.assay.run.Seeds;
import dev.assay.run.StageMetrics;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Builds the configured reward models (voters) of a recipe: given a {@link RewardModelSpec} and the recipe's
 * judgments and candidates, applies the transform of the spec's type and returns its {@link RewardModelOutput}.
 *
 * <table>
 *   <caption>Dispatch</caption>
 *   <tr><th>type</th><th>transform</th><th>reads</th></tr>
 *   <tr><td>judge</td><td>{@link ScoreWithJudge}</td><td>absolute judgments of {@code spec.judge}</td></tr>
 *   <tr><td>pairwise</td><td>{@link ScoreWithPairwiseJudge}</td><td>pairwise judgments of {@code spec.judge}</td></tr>
 *   <tr><td>verifier</td><td>{@link VerifyAgainstReference}</td><td>candidates (their reference answers)</td></tr>
 *   <tr><td>trained</td><td>{@link ScoreWithTrainedModel}</td><td>candidates; trains on {@code spec.labels} first</td></tr>
 *   <tr><td>implicit</td><td>the {@link ImplicitRewards} hook</td><td>candidates (token log-probs)</td></tr>
 * </table>
 *
 * <p>Each transform is applied under the step name {@code <TransformClass>[<voter name>]}, so several voters of one
 * type sit side by side with stable names. The {@code trained} voter is trained here, on the driver, before the
 * pipeline runs, with the seed {@code Seeds.derive(runSeed, "reward", name)}; its labels path is resolved against the
 * recipe's folder.
 *
 * <p>Failure modes: {@link IllegalStateException} for an {@code implicit} spec when no hook was given (the caller
 * built the factory without it); {@link dev.assay.io.InputException} for a bad labels file; the transforms' own
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
    PTransform<PCollection<Candidate>, RewardModelOutput> forSpec(RewardModelSpec spec);
  }

  private final Path recipeDir;
  private final long runSeed;
  private final ImplicitRewards implicit;
  private final int shards;

  private RewardModels(Path recipeDir, long runSeed, ImplicitRewards implicit, int shards) {
    this.recipeDir = Objects.requireNonNull(recipeDir, "recipeDir");
    this.runSeed = runSeed;
    this.implicit = implicit;
    this.shards = shards;
  }

  /**
   * @param recipeDir the folder the recipe was read from ({@code labels:} paths are relative to it)
   * @param runSeed the run's master seed
   * @param implicit the {@code implicit} hook, or null when the recipe has no implicit voter
   */
  public static RewardModels create(Path recipeDir, long runSeed, ImplicitRewards implicit) {
    return new RewardModels(recipeDir, runSeed, implicit, GroupIntoPromptShards.DEFAULT_SHARDS);
  }

  /** The same factory grouping into {@code shards} keys in every transform it builds. */
  public RewardModels withShards(int shards) {
    PromptShards.requireCount(shards);
    return new RewardModels(recipeDir, runSeed, implicit, shards);
  }

  /** Applies the reward model of {@code spec} and returns its outputs, tagged with {@code spec.name()}. */
  public RewardModelOutput apply(RewardModelSpec spec, PCollection<Judgment> judgments, PCollection<Candidate> candidates) {
    Objects.requireNonNull(spec, "spec");
    String step = "[" + spec.name() + "]";
    return switch (spec.type()) {
      case "judge" -> judgments.apply("ScoreWithJudge" + step, ScoreWithJudge.of(spec).withShards(shards));
      case "pairwise" -> judgments.apply("ScoreWithPairwiseJudge" + step, ScoreWithPairwiseJudge.of(spec).withShards(shards));
      case "verifier" -> candidates.apply("VerifyAgainstReference" + step, VerifyAgainstReference.of(spec).withShards(shards));
      case "trained" -> candidates.apply("ScoreWithTrainedModel" + step, ScoreWithTrainedModel.of(spec.name(), train(spec)).withShards(shards));
      case "implicit" -> {
        if (implicit == null) {
          throw new IllegalStateException(
              "reward model " + spec.name() + " is of type implicit, but no implicit reward hook was given to RewardModels.create");
        }
        yield candidates.apply("ScoreWithImplicitReward" + step, implicit.forSpec(spec));
      }
      default -> throw new IllegalStateException("unknown reward model type " + spec.type()); // RewardModelSpec forbids it
    };
  }

  /** Trains the {@code trained} voter of {@code spec} on its labels (driver side, before the pipeline runs). */
  public TrainedRewardModel train(RewardModelSpec spec) {
    if (!spec.type().equals("trained")) {
      throw new IllegalArgumentException("only a trained reward model has labels to train on: " + spec.name());
    }
    return TrainedRewardModel.train(recipeDir.resolve(spec.labels()), Seeds.derive(runSeed, "reward", spec.name()));
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
