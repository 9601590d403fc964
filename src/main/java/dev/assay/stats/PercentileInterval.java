package dev.assay.stats;

import java.util.Arrays;

/**
 * The percentile bootstrap interval of replicate values: their nearest-rank {@code (1-level)/2} and
 * {@code (1+level)/2} quantiles. Shared by every bootstrap in Assay, so their intervals are read the same way.
 */
public final class PercentileInterval {
  private PercentileInterval() {}

  /** The interval of {@code values} (sorted here, on a copy); NaN bounds when there are none. */
  public static ConfidenceInterval of(double[] values, double level) {
    if (values.length == 0) {
      return new ConfidenceInterval(Double.NaN, Double.NaN, level);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double tail = (1 - level) / 2;
    return new ConfidenceInterval(rank(sorted, tail), rank(sorted, 1 - tail), level);
  }

  /** The nearest-rank quantile q of sorted values. */
  static double rank(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, i))];
  }
}
