package dev.assay.curation.rationalization;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.judging.Verdict;
import java.util.Objects;

/**
 * A judge pair as built, before the position balance: the pair, the seat its chosen judgment chose, and the rejection
 * it becomes should {@link BalanceVerdictPositions} drop it.
 *
 * @param pair the judge pair
 * @param chosenVerdict the chosen judgment's verdict (A, B or tie) for a pairwise judge; null for an absolute one,
 *     which has no seats
 * @param ifDropped the item's evidence as a rejection with reason {@code position_balance} (its detail is written
 *     when it is dropped)
 */
public record PositionedPair(PreferencePair pair, Verdict chosenVerdict, RationalizationRejection ifDropped) {
  public PositionedPair {
    Objects.requireNonNull(pair, "pair");
    Objects.requireNonNull(ifDropped, "ifDropped");
    if (ifDropped.reason() != RationalizationReason.POSITION_BALANCE) {
      throw new IllegalArgumentException("ifDropped must have reason position_balance, not " + ifDropped.reason().wire());
    }
  }
}
