package dev.assay.rewards.verifier;

import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModelType;

/** The {@code verifier} reward model type: {@link VerifyAgainstReference} over the candidates and their reference answers. */
public final class VerifierVoter implements RewardModelType<RewardModelSpec.Verifier> {
  @Override
  public String name() {
    return RewardModelSpec.Verifier.TYPE;
  }

  @Override
  public Class<RewardModelSpec.Verifier> spec() {
    return RewardModelSpec.Verifier.class;
  }

  @Override
  public RewardModelOutput apply(RewardModelSpec.Verifier spec, Inputs inputs, Context context) {
    return inputs.candidates().apply(RewardModelType.step("VerifyAgainstReference", spec), VerifyAgainstReference.of(spec));
  }
}
