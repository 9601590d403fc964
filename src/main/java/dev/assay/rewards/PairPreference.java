package dev.assay.rewards;

import java.util.Objects;

/**
 * One reward model's preference between two candidates of the same prompt, with {@code first < second} by id so
 * each unordered pair appears once per reward model.
 *
 * @param rewardModel the voter's name
 * @param promptId the prompt
 * @param first the candidate with the smaller id
 * @param second the other candidate
 * @param probabilityFirst P(first is better than second) in [0, 1]; 0.5 is no preference
 * @param votes the evidence behind it (e.g. pairwise verdicts, or 1 for a reward difference)
 * @param flips for pairwise judges: orderings whose verdict changed with the position (a flip counts as a tie)
 */
public record PairPreference(
    String rewardModel, String promptId, String first, String second, double probabilityFirst, long votes, long flips) {
  public PairPreference {
    Objects.requireNonNull(rewardModel, "rewardModel");
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    if (first.compareTo(second) >= 0) {
      throw new IllegalArgumentException("first must sort before second: " + first + " vs " + second);
    }
    if (!(probabilityFirst >= 0 && probabilityFirst <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1]: " + probabilityFirst);
    }
  }

  /** The preferred candidate, or null when there is no preference (exactly 0.5). */
  public String preferred() {
    return probabilityFirst > 0.5 ? first : probabilityFirst < 0.5 ? second : null;
  }

  /** The probability of the preferred candidate (>= 0.5). */
  public double strength() {
    return Math.max(probabilityFirst, 1 - probabilityFirst);
  }
}
