package dev.assay.stats;

/**
 * The Bradley-Terry likelihood has no finite maximum for the comparisons given: some group of players never lost (not
 * even half a game, by a tie) to the players outside it, so their strength relative to the rest is unbounded. Data,
 * not a caller mistake: one model won every comparison, or a player was never compared at all.
 */
public final class NoFiniteEstimateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoFiniteEstimateException(String message) {
    super(message);
  }
}
