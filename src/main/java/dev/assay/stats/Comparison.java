package dev.assay.stats;

/**
 * One pairwise comparison between two players (models, policies, teams): the outcome for the first, 1 a win, 0 a
 * loss, 1/2 a tie. The input of {@link BradleyTerry} and {@link Elo}.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for a negative player index, a player compared with itself, or
 * a score other than 0, 1/2 or 1.
 *
 * @param first index of the first player, >= 0
 * @param second index of the second player, >= 0 and not {@code first}
 * @param scoreFirst 1 when the first won, 0 when the second won, 0.5 for a tie
 */
public record Comparison(int first, int second, double scoreFirst) {
  public Comparison {
    if (first < 0 || second < 0 || first == second) {
      throw new IllegalArgumentException("a comparison needs two distinct players >= 0: " + first + " vs " + second);
    }
    if (scoreFirst != 0 && scoreFirst != 0.5 && scoreFirst != 1) {
      throw new IllegalArgumentException("the first player's score must be 0, 0.5 or 1: " + scoreFirst);
    }
  }

  /** A win of {@code winner} over {@code loser}. */
  public static Comparison win(int winner, int loser) {
    return new Comparison(winner, loser, 1);
  }

  /** A tie between two players. */
  public static Comparison tie(int a, int b) {
    return new Comparison(a, b, 0.5);
  }
}
