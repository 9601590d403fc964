package dev.assay.stats;

/**
 * Kendall's rank correlation of two paired samples, with its pair counts.
 *
 * <p>{@code tauB = (C - D) / sqrt((P - tiedX)(P - tiedY))} over the P = n(n-1)/2 pairs; {@code tauC = 2(C - D) /
 * (n² (m - 1) / m)} with m the smaller number of distinct values (Stuart's tau-c, for tables that are not square).
 * Pairs tied in x, in y, or in both count as neither concordant nor discordant.
 *
 * @param tauB tie-aware tau-b (equal to tau-a without ties); NaN when x or y is constant or n < 2
 * @param tauC Stuart's tau-c; NaN when x or y is constant or n < 2
 * @param n paired observations
 * @param concordant pairs ordered the same way by x and y (C)
 * @param discordant pairs ordered oppositely (D)
 * @param tiedX pairs with equal x (including those also tied in y)
 * @param tiedY pairs with equal y (including those also tied in x)
 * @param tiedBoth pairs equal in both x and y
 * @param varianceS variance of S = C - D under independence, with Kendall's (1970) tie corrections
 */
public record KendallResult(
    double tauB,
    double tauC,
    long n,
    long concordant,
    long discordant,
    long tiedX,
    long tiedY,
    long tiedBoth,
    double varianceS) {

  /** Largest n for which {@link #pValue()} chooses the exact distribution (scipy's rule). */
  public static final int EXACT_MAX_N = 33;

  /** All pairs, n(n-1)/2. */
  public long pairs() {
    return n * (n - 1) / 2;
  }

  /** Kendall's score S = C - D. */
  public long s() {
    return concordant - discordant;
  }

  /**
   * Two-sided p-value of tau = 0, chosen as scipy's {@code kendalltau(method="auto")} does: exact when neither side
   * has ties and either n <= 33 or S is within one swap of its extreme; otherwise the normal approximation with tie
   * corrections. NaN when tau-b is NaN.
   */
  public double pValue() {
    if (Double.isNaN(tauB)) {
      return Double.NaN;
    }
    boolean noTies = tiedX == 0 && tiedY == 0;
    if (noTies && (n <= EXACT_MAX_N || Math.min(discordant, pairs() - discordant) <= 1)) {
      return pValueExact();
    }
    return pValueAsymptotic();
  }

  /** Two-sided p from the normal approximation {@code z = S / sqrt(varianceS)}; NaN when tau-b is NaN. */
  public double pValueAsymptotic() {
    if (Double.isNaN(tauB) || !(varianceS > 0)) {
      return Double.NaN;
    }
    return Distributions.normalTwoSided(s() / Math.sqrt(varianceS));
  }

  /**
   * Two-sided exact p from the permutation distribution of S (Kendall 1970): {@code 2 P(D' <= c)} for c =
   * min(D, P - D), capped at 1. Costs O(n·c).
   *
   * @throws IllegalStateException when there are ties (the exact distribution assumes none)
   */
  public double pValueExact() {
    if (tiedX != 0 || tiedY != 0) {
      throw new IllegalStateException("the exact Kendall distribution needs untied data; use pValueAsymptotic()");
    }
    return KendallTau.exactTwoSided((int) n, Math.min(discordant, pairs() - discordant));
  }
}
