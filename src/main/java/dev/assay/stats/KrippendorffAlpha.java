package dev.assay.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * Krippendorff's alpha: reliability of any number of coders over units, with missing values, for nominal, ordinal,
 * interval or ratio data. {@code alpha = 1 - D_o / D_e}, where D_o is the disagreement among values coded for the
 * same unit and D_e the disagreement expected between any two pairable values (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability").
 *
 * <p>Units with fewer than two values cannot pair and are left out (so are their values); each remaining unit with
 * m values contributes its m(m-1) ordered pairs with weight 1/(m-1) to the coincidence matrix.
 *
 * <p>Contract: alpha is NaN when D_e is 0 (every pairable value equal); fast-krippendorff raises an error there
 * instead. Failure modes ({@link IllegalArgumentException}): no pairable unit, coders with different numbers of
 * units, infinite values, negative values at the ratio level, negative counts. Time O(Σ m_u² + v²) for m_u values
 * per unit and v distinct values; memory O(values), no v x v matrix.
 */
public final class KrippendorffAlpha {
  /** The metric δ² between two values c and k. */
  public enum Level {
    /** 0 when equal, else 1. */
    NOMINAL,
    /**
     * {@code (Σ_{g between c and k} n_g - (n_c + n_k) / 2)²}: distance by how many pairable values lie between,
     * so only the order of values matters.
     */
    ORDINAL,
    /** {@code (c - k)²}. */
    INTERVAL,
    /** {@code ((c - k) / (c + k))²}; 0 when c = k = 0. Values must be non-negative. */
    RATIO
  }

  private KrippendorffAlpha() {}

  /**
   * Alpha from reliability data, coders x units ({@code data[coder][unit]}), {@link Double#NaN} for a missing value
   * (the layout of Krippendorff's papers and of fast-krippendorff's {@code reliability_data}).
   */
  public static AlphaResult compute(double[][] codersByUnits, Level level) {
    Objects.requireNonNull(codersByUnits, "reliability data");
    Objects.requireNonNull(level, "level");
    Checks.nonEmpty(codersByUnits.length, "Krippendorff's alpha");
    int units = Objects.requireNonNull(codersByUnits[0], "coder row").length;
    int total = 0;
    for (double[] coder : codersByUnits) {
      Objects.requireNonNull(coder, "coder row");
      Checks.sameLength(units, coder.length, "Krippendorff's alpha: units per coder");
      for (double v : coder) {
        if (Double.isInfinite(v)) {
          throw new IllegalArgumentException("Krippendorff's alpha: infinite value");
        }
        if (!Double.isNaN(v)) {
          total++;
        }
      }
    }
    double[] all = new double[total];
    int at = 0;
    for (double[] coder : codersByUnits) {
      for (double v : coder) {
        if (!Double.isNaN(v)) {
          all[at++] = v;
        }
      }
    }
    double[] values = Checks.sortedDistinct(all);
    // Sparse per unit (value index, count): memory grows with the ratings, not with units x distinct values, which
    // matters for interval data where nearly every value is distinct.
    int[][] index = new int[units][];
    long[][] count = new long[units][];
    int[] buffer = new int[codersByUnits.length];
    for (int u = 0; u < units; u++) {
      int m = 0;
      for (double[] coder : codersByUnits) {
        if (!Double.isNaN(coder[u])) {
          buffer[m++] = Checks.indexOf(values, coder[u]);
        }
      }
      Arrays.sort(buffer, 0, m);
      int distinct = 0;
      for (int i = 0; i < m; i++) {
        if (i == 0 || buffer[i] != buffer[i - 1]) {
          distinct++;
        }
      }
      index[u] = new int[distinct];
      count[u] = new long[distinct];
      int g = -1;
      for (int i = 0; i < m; i++) {
        if (i == 0 || buffer[i] != buffer[i - 1]) {
          index[u][++g] = buffer[i];
        }
        count[u][g]++;
      }
    }
    return alpha(index, count, values, level);
  }

  /**
   * Alpha from value counts, units x values ({@code counts[u][c]} = how many coders gave unit u the value {@code
   * values[c]}); values must be strictly increasing. The compact form for many coders.
   */
  public static AlphaResult fromValueCounts(long[][] unitsByValues, double[] values, Level level) {
    Objects.requireNonNull(unitsByValues, "value counts");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(level, "level");
    Checks.finite(values, "Krippendorff's alpha: values");
    for (int c = 1; c < values.length; c++) {
      if (!(values[c] > values[c - 1])) {
        throw new IllegalArgumentException("values must be strictly increasing: " + Arrays.toString(values));
      }
    }
    int[][] index = new int[unitsByValues.length][];
    long[][] count = new long[unitsByValues.length][];
    for (int u = 0; u < unitsByValues.length; u++) {
      long[] unit = Objects.requireNonNull(unitsByValues[u], "unit row");
      Checks.sameLength(values.length, unit.length, "Krippendorff's alpha: values per unit");
      int distinct = 0;
      for (long n : unit) {
        if (n < 0) {
          throw new IllegalArgumentException("Krippendorff's alpha: negative count in unit " + u);
        }
        if (n > 0) {
          distinct++;
        }
      }
      index[u] = new int[distinct];
      count[u] = new long[distinct];
      int g = 0;
      for (int c = 0; c < unit.length; c++) {
        if (unit[c] > 0) {
          index[u][g] = c;
          count[u][g++] = unit[c];
        }
      }
    }
    return alpha(index, count, values, level);
  }

  /** Alpha from sparse units: unit u has {@code count[u][g]} values equal to {@code values[index[u][g]]}. */
  private static AlphaResult alpha(int[][] index, long[][] count, double[] values, Level level) {
    if (level == Level.RATIO && values.length > 0 && values[0] < 0) {
      throw new IllegalArgumentException("ratio level needs non-negative values, got " + values[0]);
    }
    int v = values.length;
    // Marginals of the coincidence matrix: each pairable value of a unit with m values is paired m - 1 times with
    // weight 1 / (m - 1), so n_c is simply how often c occurs in pairable units.
    double[] marginal = new double[v];
    long pairableValues = 0;
    long pairableUnits = 0;
    for (int u = 0; u < index.length; u++) {
      long m = Arrays.stream(count[u]).sum();
      if (m < 2) {
        continue;
      }
      pairableUnits++;
      pairableValues += m;
      for (int g = 0; g < index[u].length; g++) {
        marginal[index[u][g]] += count[u][g];
      }
    }
    if (pairableUnits == 0) {
      throw new IllegalArgumentException(
          "Krippendorff's alpha: no unit has two values, nothing to measure (" + index.length + " units)");
    }
    Metric delta = new Metric(values, marginal, level);
    // Observed: Σ_u Σ_{c != k in u} n_uc n_uk δ²(c, k) / (m_u - 1), i.e. Σ o_ck δ²_ck without building o.
    double observedSum = 0;
    for (int u = 0; u < index.length; u++) {
      long m = Arrays.stream(count[u]).sum();
      if (m < 2) {
        continue;
      }
      double unitSum = 0;
      for (int a = 0; a < index[u].length; a++) {
        for (int b = a + 1; b < index[u].length; b++) {
          unitSum += 2.0 * count[u][a] * count[u][b] * delta.of(index[u][a], index[u][b]);
        }
      }
      observedSum += unitSum / (m - 1);
    }
    int distinctValues = 0;
    for (double n : marginal) {
      if (n > 0) {
        distinctValues++;
      }
    }
    double expectedSum = delta.expectedSum();
    double n = pairableValues;
    double observed = observedSum / n;
    double expected = expectedSum / (n * (n - 1));
    double alpha = expectedSum == 0 ? Double.NaN : 1 - observed / expected;
    return new AlphaResult(
        alpha, observed, expected, pairableValues, pairableUnits, index.length, distinctValues, level);
  }

  /** δ²(c, k) for a level; the ordinal metric needs the marginals n_g of the coincidence matrix. */
  private static final class Metric {
    private final double[] values;
    private final double[] marginal;
    private final double[] cumulative; // cumulative[g] = Σ_{h < g} n_h
    private final Level level;

    Metric(double[] values, double[] marginal, Level level) {
      this.values = values;
      this.marginal = marginal;
      this.level = level;
      cumulative = new double[values.length + 1];
      for (int g = 0; g < values.length; g++) {
        cumulative[g + 1] = cumulative[g] + marginal[g];
      }
    }

    double of(int c, int k) {
      if (c == k) {
        return 0;
      }
      return switch (level) {
        case NOMINAL -> 1;
        case ORDINAL -> {
          int lo = Math.min(c, k);
          int hi = Math.max(c, k);
          double between = cumulative[hi + 1] - cumulative[lo] - (marginal[c] + marginal[k]) / 2;
          yield between * between;
        }
        case INTERVAL -> (values[c] - values[k]) * (values[c] - values[k]);
        case RATIO -> {
          double s = values[c] + values[k];
          double r = s == 0 ? 0 : (values[c] - values[k]) / s;
          yield r * r;
        }
      };
    }

    /** Σ_c Σ_k n_c n_k δ²(c, k), over values that occur in pairable units. */
    double expectedSum() {
      int[] present = java.util.stream.IntStream.range(0, values.length).filter(g -> marginal[g] > 0).toArray();
      double sum = 0;
      for (int a = 0; a < present.length; a++) {
        for (int b = a + 1; b < present.length; b++) {
          sum += 2 * marginal[present[a]] * marginal[present[b]] * of(present[a], present[b]);
        }
      }
      return sum;
    }
  }
}
