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

  /**
   * The words of {@code chosen} per word of {@code rejected} (a rejected side of no words counts as one): what length
   * control holds against {@link #maxLengthRatio}.
   */
  public static double lengthRatio(String chosen, String rejected) {
    return (double) words(chosen) / Math.max(1, words(rejected));
  }

  /** Whether length control is on and the pair exceeds it. */
  public boolean tooLong(String chosen, String rejected) {
    return maxLengthRatio != null && lengthRatio(chosen, rejected) > maxLengthRatio;
  }

  private static int words(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  /** Defaults: guard on, no length control, no SFT set. */
  public static PairSpec defaults() {
    return new PairSpec(null, null, null);
  }
}
