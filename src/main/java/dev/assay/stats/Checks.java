package dev.assay.stats;

import java.util.List;
import java.util.Objects;

/** Argument checks shared by the statistics, so every class fails the same way on the same bad input. */
final class Checks {
  private Checks() {}

  static void sameLength(int a, int b, String what) {
    if (a != b) {
      throw new IllegalArgumentException(what + ": lengths differ (" + a + " vs " + b + ")");
    }
  }

  static void pairOfArrays(double[] x, double[] y, String what) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    sameLength(x.length, y.length, what);
    nonEmpty(x.length, what);
    finite(x, what + ": x");
    finite(y, what + ": y");
  }

  static void pairOfLists(List<?> a, List<?> b, String what) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    sameLength(a.size(), b.size(), what);
    nonEmpty(a.size(), what);
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) == null || b.get(i) == null) {
        throw new IllegalArgumentException(what + ": null rating at index " + i + " (drop missing pairs first)");
      }
    }
  }

  static void nonEmpty(int n, String what) {
    if (n == 0) {
      throw new IllegalArgumentException(what + ": empty input, nothing to measure");
    }
  }

  static void finite(double[] v, String what) {
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(what + ": value " + v[i] + " at index " + i + " is not finite");
      }
    }
  }

  static double[] toDouble(int[] v) {
    Objects.requireNonNull(v);
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  /** Sorted distinct values; -0.0 is folded into 0.0 so that the two compare as one category. */
  static double[] sortedDistinct(double[] v) {
    double[] s = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      s[i] = v[i] + 0.0;
    }
    java.util.Arrays.sort(s);
    int k = 0;
    for (int i = 0; i < s.length; i++) {
      if (k == 0 || s[i] != s[k - 1]) {
        s[k++] = s[i];
      }
    }
    return java.util.Arrays.copyOf(s, k);
  }

  /** Index of {@code value} in sorted distinct {@code categories}, or -1. */
  static int indexOf(double[] categories, double value) {
    int i = java.util.Arrays.binarySearch(categories, value + 0.0);
    return i >= 0 ? i : -1;
  }
}
