package dev.assay.stats;

/**
 * Pearson's product-moment correlation and Spearman's rank correlation (Pearson's r of the average ranks, so ties
 * are handled as scipy and R handle them).
 *
 * <p>{@code r = Σ(x - x̄)(y - ȳ) / sqrt(Σ(x - x̄)² Σ(y - ȳ)²)}, computed in two passes (means first) so large
 * offsets do not cancel. The p-value is the t test {@code t = r sqrt((n-2) / (1-r²))}, written as the equivalent
 * {@code I_{1-r²}((n-2)/2, 1/2)} so it keeps precision as |r| nears 1.
 *
 * <p>Contract: NaN coefficient (and p) when either side is constant, as scipy returns. Failure modes ({@link
 * IllegalArgumentException}): different lengths, empty input, NaN or infinite values. O(n) for Pearson, O(n log
 * n) for Spearman and {@link #ranks}.
 */
public final class Correlation {
  private Correlation() {}

  /** Pearson's r. */
  public static CorrelationResult pearson(double[] x, double[] y) {
    Checks.pairOfArrays(x, y, "Pearson correlation");
    return pearsonChecked(x, y);
  }

  /** Spearman's rho: Pearson's r of the average ranks. */
  public static CorrelationResult spearman(double[] x, double[] y) {
    Checks.pairOfArrays(x, y, "Spearman correlation");
    return pearsonChecked(ranks(x), ranks(y));
  }

  /** {@link #spearman(double[], double[])} for integer data. */
  public static CorrelationResult spearman(int[] x, int[] y) {
    return spearman(Checks.toDouble(x), Checks.toDouble(y));
  }

  /** {@link #pearson(double[], double[])} for integer data. */
  public static CorrelationResult pearson(int[] x, int[] y) {
    return pearson(Checks.toDouble(x), Checks.toDouble(y));
  }

  /**
   * 1-based ranks with ties given the mean of the ranks they span ("average" / mid-ranks): {@code [1, 2, 2, 3]}
   * ranks as {@code [1, 2.5, 2.5, 4]}.
   *
   * @throws IllegalArgumentException for NaN or infinite values
   */
  public static double[] ranks(double[] x) {
    java.util.Objects.requireNonNull(x, "x");
    Checks.finite(x, "ranks");
    double[] values = Checks.sortedDistinct(x);
    long[] count = new long[values.length];
    int[] index = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      index[i] = Checks.indexOf(values, x[i]);
      count[index[i]]++;
    }
    // A run of t equal values after b smaller ones occupies ranks b+1 .. b+t; its mean rank is b + (t + 1) / 2.
    double[] rankOf = new double[values.length];
    long below = 0;
    for (int g = 0; g < values.length; g++) {
      rankOf[g] = below + (count[g] + 1) / 2.0;
      below += count[g];
    }
    double[] r = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      r[i] = rankOf[index[i]];
    }
    return r;
  }

  private static CorrelationResult pearsonChecked(double[] x, double[] y) {
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (sxx == 0 || syy == 0) {
      return new CorrelationResult(Double.NaN, n, Double.NaN);
    }
    double r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    return new CorrelationResult(r, n, pValue(r, n));
  }

  private static double pValue(double r, int n) {
    if (n < 3) {
      return Double.NaN;
    }
    double oneMinusR2 = (1 - r) * (1 + r); // better than 1 - r*r near |r| = 1
    if (oneMinusR2 <= 0) {
      return 0.0;
    }
    return Math.min(1.0, Distributions.regularizedBeta(oneMinusR2, (n - 2) / 2.0, 0.5));
  }
}
