package dev.assay.curation.pairs;

/**
 * Self-rewarding pair building, bound from {@code pairs:} in a recipe.
 *
 * @param maxLengthRatio length control: reject a pair whose chosen response has more than this many times the
 *     words of the rejected one (a known reward-hacking route); null = off
 * @param guard keep responses with judge-format markers or instructions aimed at the judge out of {@code chosen}
 *     (default true)
 * @param sftThreshold the primary reward a prompt's best response needs to enter the policy SFT set; null = no SFT
 *     set
 */
public record PairSpec(Double maxLengthRatio, Boolean guard, Double sftThreshold) implements java.io.Serializable {
  public PairSpec {
    if (maxLengthRatio != null && !(maxLengthRatio >= 1)) {
      throw new IllegalArgumentException("max_length_ratio must be >= 1: " + maxLengthRatio);
    }
    guard = guard == null ? Boolean.TRUE : guard;
  }

  /** Defaults: guard on, no length control, no SFT set. */
  public static PairSpec defaults() {
    return new PairSpec(null, null, null);
  }
}
