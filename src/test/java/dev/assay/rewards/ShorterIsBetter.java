package dev.assay.rewards;

import dev.assay.generation.Candidate;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A reward-model type that exists only in the tests, registered with one line in {@code
 * src/test/resources/META-INF/services/dev.assay.rewards.RewardModelType}: it proves that a new voter needs no change
 * to Assay's own code. Its reward is minus the response length in characters (scaled by {@code per_char}), so it
 * prefers the shorter of two responses: a crude but real signal, and a length-bias probe of the other voters.
 */
public final class ShorterIsBetter implements RewardModelType<ShorterIsBetter.Spec> {
  public static final String TYPE = "shorter-is-better";

  /**
   * The spec a recipe entry {@code {name: ..., type: shorter-is-better, per_char: 0.01}} binds to.
   *
   * @param perChar reward lost per character of the response (default 0.01)
   */
  public record Spec(String name, Double perChar) implements RewardModelSpec.Extension {
    public Spec {
      java.util.Objects.requireNonNull(name, "name");
      perChar = perChar == null ? 0.01 : perChar;
      if (!(perChar > 0)) {
        throw new IllegalArgumentException("per_char must be > 0: " + perChar);
      }
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public Class<Spec> spec() {
    return Spec.class;
  }

  @Override
  public RewardModelOutput apply(Spec spec, Inputs inputs, Context context) {
    String name = spec.name();
    double perChar = spec.perChar();
    PCollection<CandidateReward> rewards =
        inputs.candidates()
            .apply(RewardModelType.step("RewardShortness", spec),
                MapElements.into(TypeDescriptor.of(CandidateReward.class))
                    .via((Candidate c) -> new CandidateReward(name, c.promptId(), c.id(), -perChar * c.response().length(), 1, 1, 0)))
            .setCoder(CandidateRewardCoder.of());
    PCollection<PairPreference> preferences =
        rewards.apply(RewardModelType.step("CompareShortness", spec),
            CompareRewards.with(name, PreferenceRule.byDifference()));
    return RewardModelOutput.of(rewards, preferences);
  }
}
