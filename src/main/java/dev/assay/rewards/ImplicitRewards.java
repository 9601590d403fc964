package dev.assay.rewards;

import dev.assay.generation.Candidate;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * The hook through which the {@code implicit} reward model (DPO implicit reward from token log-probs) plugs in: the
 * pipeline implements it with {@code rewards.implicit.ScoreWithImplicitReward}, which owns the endpoints and the
 * ledger it needs, and hands it over in {@link RewardModelType.Context}.
 *
 * <p>It sits in the core, beside the context that carries it, so the core does not depend on the {@code implicit}
 * type's package. Contract: {@link #forSpec} returns a transform whose outputs are tagged with {@code spec.name()};
 * it only builds the transform (driver side). Failure modes are the transform's own, at run time.
 */
@FunctionalInterface
public interface ImplicitRewards {
  /** The transform that scores candidates for the implicit voter {@code spec}. */
  PTransform<PCollection<Candidate>, RewardModelOutput> forSpec(RewardModelSpec.Implicit spec);
}
