package dev.assay.consensus;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.Set;

/**
 * One voter's stance on a prompt's (chosen, rejected) pair.
 *
 * <p>Stances: {@value #AGREE} (prefers the chosen response with probability >= c), {@value #AGAINST} (prefers the
 * rejected one with probability >= c), {@value #WEAK} (prefers one, below c), {@value #NO_PREFERENCE} (probability
 * exactly 0.5), {@value #MISSING} (the voter emitted no preference for this pair). Only agree and against are
 * confident votes; the other three abstain.
 *
 * @param rewardModel the voter
 * @param stance one of the stances above
 * @param probabilityChosen P(chosen is better) by this voter; null when missing
 * @param votes the evidence behind the preference (from {@code PairPreference.votes}); 0 when missing
 * @param flips orderings whose verdict changed with the position (pairwise voters); 0 when missing
 */
public record Vote(
    String rewardModel, String stance, @JsonInclude(ALWAYS) Double probabilityChosen, long votes, long flips) {
  public static final String AGREE = "agree";
  public static final String AGAINST = "against";
  public static final String WEAK = "weak";
  public static final String NO_PREFERENCE = "no_preference";
  public static final String MISSING = "missing";
  private static final Set<String> STANCES = Set.of(AGREE, AGAINST, WEAK, NO_PREFERENCE, MISSING);

  public Vote {
    Objects.requireNonNull(rewardModel, "rewardModel");
    if (!STANCES.contains(stance)) {
      throw new IllegalArgumentException("stance must be agree, against, weak, no_preference or missing: " + stance);
    }
    if ((probabilityChosen == null) != stance.equals(MISSING)) {
      throw new IllegalArgumentException("probability_chosen is null exactly when the vote is missing");
    }
  }

  /** Whether this voter confidently prefers the chosen response. */
  public boolean agrees() {
    return stance.equals(AGREE);
  }

  /** Whether this voter confidently prefers the rejected response. */
  public boolean opposes() {
    return stance.equals(AGAINST);
  }
}
