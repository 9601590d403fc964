package dev.assay.stats;

import java.util.Arrays;

/**
 * Kendall's tau-b and tau-c in O(n log n), by Knight's (1966) algorithm: sort the pairs by (x, y), count ties in
 * x, then count the swaps a merge sort of the y sequence makes; each swap is one discordant pair.
 *
 * <p>Why tau-b: Likert scores and rankings tie often, and CREAM's consistency {@code (tau_b + 1) / 2} must not
 * depend on how ties happen to be broken. Values are compared numerically; -0.0 equals 0.0.
 *
 * <p>Contract: tau is NaN when either side is constant, or n = 1 (scipy returns NaN there too); p-values follow
 * {@link KendallResult#pValue()}. Failure modes ({@link IllegalArgumentException}): different lengths, empty input,
 * NaN or infinite values (drop missing pairs first).
 */
public final class KendallTau {
  private KendallTau() {}

  /** Tau-b, tau-c, pair counts and the null variance of S for paired samples x and y. */
  public static KendallResult compute(double[] x, double[] y) {
    Checks.pairOfArrays(x, y, "Kendall's tau");
    int n = x.length;
    double[] xValues = Checks.sortedDistinct(x);
    double[] yValues = Checks.sortedDistinct(y);
    // Dense ranks let one primitive long sort order the pairs by (x, y): no boxing, no comparator.
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long rx = Checks.indexOf(xValues, x[i]);
      long ry = Checks.indexOf(yValues, y[i]);
      keys[i] = (rx << 32) | ry;
    }
    Arrays.sort(keys);

    TieSums xTies = new TieSums();
    long tiedBoth = 0;
    int start = 0;
    for (int i = 1; i <= n; i++) {
      if (i == n || (keys[i] >>> 32) != (keys[start] >>> 32)) {
        xTies.add(i - start);
        start = i;
      }
    }
    start = 0;
    for (int i = 1; i <= n; i++) {
      if (i == n || keys[i] != keys[start]) {
        long t = i - start;
        tiedBoth += t * (t - 1) / 2;
        start = i;
      }
    }

    int[] ys = new int[n];
    for (int i = 0; i < n; i++) {
      ys[i] = (int) (keys[i] & 0xffffffffL);
    }
    // Within a run of equal x, y is ascending (the sort put it so), so swaps only happen across x values: every
    // swap is a pair with x_i < x_j and y_i > y_j, i.e. discordant. Equal y values are never swapped.
    long discordant = mergeSortCountingSwaps(ys);
    TieSums yTies = new TieSums();
    start = 0;
    for (int i = 1; i <= n; i++) {
      if (i == n || ys[i] != ys[start]) {
        yTies.add(i - start);
        start = i;
      }
    }

    long pairs = (long) n * (n - 1) / 2;
    long concordant = pairs - xTies.pairs - yTies.pairs + tiedBoth - discordant;
    long s = concordant - discordant;
    double tauB;
    double tauC;
    if (xTies.pairs == pairs || yTies.pairs == pairs) {
      tauB = Double.NaN;
      tauC = Double.NaN;
    } else {
      tauB = s / Math.sqrt((double) (pairs - xTies.pairs) * (double) (pairs - yTies.pairs));
      int m = Math.min(xValues.length, yValues.length);
      tauC = 2.0 * s / ((double) n * n * (m - 1) / m);
    }
    return new KendallResult(
        tauB, tauC, n, concordant, discordant, xTies.pairs, yTies.pairs, tiedBoth, varianceS(n, xTies, yTies));
  }

  /** {@link #compute(double[], double[])} for integer data (scores, ranks). */
  public static KendallResult compute(int[] x, int[] y) {
    return compute(Checks.toDouble(x), Checks.toDouble(y));
  }

  /** Tau-b alone. */
  public static double tauB(double[] x, double[] y) {
    return compute(x, y).tauB();
  }

  /** Tie-group sums needed for tau and for the variance of S. */
  private static final class TieSums {
    long pairs; // Σ t(t-1)/2
    double v1; // Σ t(t-1)
    double v2; // Σ t(t-1)(t-2)
    double v5; // Σ t(t-1)(2t+5)

    void add(long t) {
      pairs += t * (t - 1) / 2;
      double td = t;
      v1 += td * (td - 1);
      v2 += td * (td - 1) * (td - 2);
      v5 += td * (td - 1) * (2 * td + 5);
    }
  }

  // Kendall (1970), eq. 4.3: var(S) with ties in both rankings.
  private static double varianceS(long n, TieSums x, TieSums y) {
    double nd = n;
    double var = (nd * (nd - 1) * (2 * nd + 5) - x.v5 - y.v5) / 18;
    if (n > 1) {
      var += x.v1 * y.v1 / (2 * nd * (nd - 1));
    }
    if (n > 2) {
      var += x.v2 * y.v2 / (9 * nd * (nd - 1) * (nd - 2));
    }
    return var;
  }

  /** Sorts {@code a} ascending (bottom-up merge sort) and returns the number of strictly inverted pairs. */
  static long mergeSortCountingSwaps(int[] a) {
    int n = a.length;
    int[] src = a;
    int[] dst = new int[n];
    long swaps = 0;
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          if (src[j] < src[i]) {
            swaps += mid - i; // src[j] jumps over every remaining, larger element of the left run
            dst[k++] = src[j++];
          } else {
            dst[k++] = src[i++];
          }
        }
        while (i < mid) {
          dst[k++] = src[i++];
        }
        while (j < hi) {
          dst[k++] = src[j++];
        }
      }
      int[] t = src;
      src = dst;
      dst = t;
    }
    if (src != a) {
      System.arraycopy(src, 0, a, 0, n);
    }
    return swaps;
  }

  /**
   * Two-sided exact p for n untied pairs when the smaller of D and P - D is c: {@code min(1, 2 P(D' <= c))}, where
   * D' (the inversions of a random permutation) is a sum of independent uniforms on {0..j-1}, j = 1..n.
   */
  static double exactTwoSided(int n, long c) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
    long pairs = (long) n * (n - 1) / 2;
    if (n <= 2 || 2 * c == pairs) {
      return 1.0;
    }
    if (c == 0) {
      return Math.exp(Math.log(2) - Distributions.logGamma(n + 1.0));
    }
    if (c == 1) {
      return Math.exp(Math.log(2) - Distributions.logGamma(n));
    }
    int cmax = Math.toIntExact(c);
    double[] dist = new double[cmax + 1];
    double[] prefix = new double[cmax + 2];
    dist[0] = 1;
    for (int j = 2; j <= n; j++) {
      prefix[0] = 0;
      for (int i = 0; i <= cmax; i++) {
        prefix[i + 1] = prefix[i] + dist[i];
      }
      for (int i = 0; i <= cmax; i++) {
        int from = Math.max(0, i - (j - 1));
        dist[i] = (prefix[i + 1] - prefix[from]) / j;
      }
    }
    double cdf = 0;
    for (double p : dist) {
      cdf += p;
    }
    return Math.min(1.0, 2 * cdf);
  }
}
