package dev.assay.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Online Elo ratings over an ordered sequence of comparisons, as LMSYS's Chatbot Arena computed them
 * ({@code compute_elo} in FastChat's {@code elo_analysis.py}): every player starts at 1000; after each comparison the
 * first player's rating moves by {@code K (S - E)} and the second's by {@code K ((1 - S) - (1 - E))}, where {@code S}
 * is the first player's score (1, 1/2 for a tie, 0) and {@code E = 1 / (1 + 10^((R_second - R_first) / 400))};
 * {@code K = 4} by default.
 *
 * <p>Unlike {@link BradleyTerry}, the result depends on the order of the comparisons (a recent game weighs more), which
 * is why LMSYS moved its leaderboard to the maximum-likelihood fit; Assay reports both, and the Bradley-Terry fit is
 * the one its intervals and decisions rest on.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for fewer than one player, a player index out of range, or a
 * K that is not positive and finite.
 */
public final class Elo {
  /** Every player's rating before its first comparison. */
  public static final double INITIAL_RATING = 1000;

  /** The rating gap that is odds of {@link #BASE} to one. */
  public static final double SCALE = 400;

  /** The odds base of {@link #SCALE}. */
  public static final double BASE = 10;

  /** LMSYS's update step. */
  public static final double DEFAULT_K = 4;

  private Elo() {}

  /** Ratings after {@code comparisons}, in their order, with step {@code k}: one per player. */
  public static List<Double> ratings(int players, List<Comparison> comparisons, double k) {
    if (players < 1) {
      throw new IllegalArgumentException("Elo needs at least one player: " + players);
    }
    if (!(k > 0) || Double.isInfinite(k)) {
      throw new IllegalArgumentException("K must be positive and finite: " + k);
    }
    double[] rating = new double[players];
    Arrays.fill(rating, INITIAL_RATING);
    for (Comparison c : comparisons) {
      if (c.first() >= players || c.second() >= players) {
        throw new IllegalArgumentException("comparison " + c + " names a player outside [0, " + players + ")");
      }
      double ra = rating[c.first()];
      double rb = rating[c.second()];
      double ea = 1 / (1 + Math.pow(BASE, (rb - ra) / SCALE));
      double eb = 1 / (1 + Math.pow(BASE, (ra - rb) / SCALE));
      rating[c.first()] += k * (c.scoreFirst() - ea);
      rating[c.second()] += k * (1 - c.scoreFirst() - eb);
    }
    List<Double> out = new ArrayList<>(players);
    for (double r : rating) {
      out.add(r);
    }
    return out;
  }
}
