package dev.assay.rewards;

import java.util.Arrays;

/**
 * Mean, median and standard deviation of small samples (a candidate's N judge scores, its K-1 pair results). Public
 * so that the CPU benchmark's plain loop computes a reward with the very same arithmetic as the transforms.
 */
public final class Descriptive {
  private Descriptive() {}

  /** NaN for no values. */
  public static double mean(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** The middle value, or the mean of the two middle values; NaN for no values. */
  public static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /**
   * The sample standard deviation (divisor n - 1): an estimate of the judge's own noise on this response, which is
   * what a spread over N samples is read as. 0 for fewer than two values, where there is no spread to estimate.
   */
  public static double sampleStd(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (v.length - 1));
  }
}
