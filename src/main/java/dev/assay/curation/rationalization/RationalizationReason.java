package dev.assay.curation.rationalization;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why an item yielded no judge pair. Checked in this order, and an item gets the first that applies: first what the
 * inputs lack (a join problem to fix upstream), then what the judge's samples lack (evidence about the judge), last
 * the balancing of the pairs that were built.
 */
public enum RationalizationReason {
  /** Gold mode: a gold label for an item no judgment was given for (the judge never graded it, or the ids differ). */
  NO_JUDGMENTS,
  /** No {@link JudgePrompt} for the item: there is no prompt to train on. */
  NO_PROMPT,
  /** Gold mode: judgments for an item without a gold label. */
  NO_GOLD,
  /** Gold mode: the item has several gold labels with different scores. */
  CONFLICTING_GOLD,
  /** None of the item's samples parsed to a score (all unparseable, refused, truncated or failed). */
  NO_OK_JUDGMENT,
  /** Pseudo-gold mode: no score reaches the majority threshold, or two scores tie for the most votes. */
  NO_MAJORITY,
  /** No ok sample has the gold score: nothing to choose. */
  NO_RIGHT_JUDGMENT,
  /** No ok sample is far enough from the gold score (all agree with it): nothing to reject. */
  NO_WRONG_JUDGMENT,
  /**
   * A pair was built but dropped to balance the chosen verdict positions of a pairwise judge's pairs (as many chosen
   * "A" as "B"; {@link BalanceVerdictPositions}).
   */
  POSITION_BALANCE;

  /** The code written to {@code rejected/} and used in counter names, e.g. {@code no_wrong_judgment}. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
