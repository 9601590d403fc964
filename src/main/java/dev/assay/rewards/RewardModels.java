package dev.assay.rewards;

import dev.assay.generation.Candidate;
import dev.assay.judging.Judgment;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.beam.sdk.values.PCollection;

/**
 * Applies the configured reward models (voters) of a recipe: given a {@link RewardModelSpec} and the recipe's
 * judgments and candidates, finds the spec's {@link RewardModelType} in {@link RewardModelTypes} and returns the
 * voter's {@link RewardModelOutput}. It knows no type by name: the built-in ones ({@code judge.JudgeVoter}, {@code
 * pairwise.PairwiseVoter}, {@code implicit.ImplicitVoter}, {@code trained.TrainedVoter}, {@code
 * verifier.VerifierVoter}) register themselves in Assay's own {@code META-INF/services} file like any other, so this
 * class sits in the core and depends on none of the type packages.
 *
 * <p>Each voter is applied under the step name {@code <Transform>[<voter name>]}, so several voters of one type sit
 * side by side with stable names.
 *
 * <p>Failure modes: {@link IllegalStateException} for a spec whose type is not registered, or an {@code implicit}
 * spec when no hook was given; {@link dev.assay.io.InputException} for a bad labels file; the transforms' own
 * failures at run time.
 */
public final class RewardModels {
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
}
