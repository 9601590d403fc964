package dev.assay.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cohen's kappa for two raters over the same items: agreement corrected for the agreement expected by chance from
 * each rater's own label frequencies, {@code kappa = (p_o - p_e) / (1 - p_e)}; weighted kappa {@code 1 - Σ d·O / Σ
 * d·E} gives partial credit to near misses on an ordinal scale (see {@link KappaWeights}).
 *
 * <p>From raw ratings the categories are the sorted union of the values either rater used (as scikit-learn and R
 * irr build their tables), unless the caller passes the category list; pass the full scale when weights must see
 * unused categories. From a table, rows are rater A's categories and columns rater B's, in the same order.
 *
 * <p>Contract: kappa is NaN when chance agreement is 1 (both raters used a single, common category), as in
 * scikit-learn and statsmodels; 1 for perfect agreement otherwise; can be negative. Failure modes ({@link
 * IllegalArgumentException}): different lengths, empty input, non-finite ratings, a rating not in the given
 * category list, a table that is not square, negative or all-zero counts, weights sized for another number of
 * categories. O(n log n) in the items plus O(k²) in the categories.
 */
public final class CohenKappa {
  private CohenKappa() {}

  /** Unweighted kappa of labels of any type (compared with {@code equals}; category order is irrelevant). */
  public static <T> KappaResult of(List<T> a, List<T> b) {
    Checks.pairOfLists(a, b, "Cohen's kappa");
    Map<T, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < a.size(); i++) {
      index.putIfAbsent(a.get(i), index.size());
      index.putIfAbsent(b.get(i), index.size());
    }
    long[][] table = new long[index.size()][index.size()];
    for (int i = 0; i < a.size(); i++) {
      table[index.get(a.get(i))][index.get(b.get(i))]++;
    }
    return compute(table, KappaWeights.unweighted(), positions(index.size()));
  }

  /** Unweighted kappa of integer labels. */
  public static KappaResult of(int[] a, int[] b) {
    return of(a, b, KappaWeights.unweighted());
  }

  /** Kappa of integer ratings; categories are the sorted union of observed values. */
  public static KappaResult of(int[] a, int[] b, KappaWeights weights) {
    return of(Checks.toDouble(a), Checks.toDouble(b), weights);
  }

  /** Kappa of integer ratings over the given, strictly increasing category list (e.g. the whole 1-5 scale). */
  public static KappaResult of(int[] a, int[] b, KappaWeights weights, int[] categories) {
    return of(Checks.toDouble(a), Checks.toDouble(b), weights, Checks.toDouble(categories));
  }

  /** Kappa of numeric ratings; categories are the sorted union of observed values. */
  public static KappaResult of(double[] a, double[] b, KappaWeights weights) {
    Checks.pairOfArrays(a, b, "Cohen's kappa");
    double[] both = new double[a.length * 2];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return of(a, b, weights, Checks.sortedDistinct(both));
  }

  /** Kappa of numeric ratings over the given, strictly increasing category list. */
  public static KappaResult of(double[] a, double[] b, KappaWeights weights, double[] categories) {
    Checks.pairOfArrays(a, b, "Cohen's kappa");
    Objects.requireNonNull(weights, "weights");
    return compute(table(a, b, categories), weights, categories);
  }

  /** Unweighted kappa from a k x k contingency table (rows: rater A, columns: rater B). */
  public static KappaResult fromTable(long[][] table) {
    return fromTable(table, KappaWeights.unweighted());
  }

  /** Kappa from a contingency table; category values are taken as 0..k-1 (value weights then equal index weights). */
  public static KappaResult fromTable(long[][] table, KappaWeights weights) {
    return fromTable(table, weights, positions(table.length));
  }

  /** Kappa from a contingency table whose categories have the given values (used by {@code ByValue} weights). */
  public static KappaResult fromTable(long[][] table, KappaWeights weights, double[] categoryValues) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(categoryValues, "categoryValues");
    Checks.sameLength(table.length, categoryValues.length, "Cohen's kappa: table rows vs category values");
    Checks.finite(categoryValues, "Cohen's kappa: category values");
    return compute(table, weights, categoryValues);
  }

  /**
   * The k x k contingency table of two raters over a strictly increasing category list: {@code t[i][j]} counts the
   * items rater A put in category i and rater B in category j.
   */
  public static long[][] table(double[] a, double[] b, double[] categories) {
    Checks.pairOfArrays(a, b, "contingency table");
    Objects.requireNonNull(categories, "categories");
    Checks.finite(categories, "categories");
    for (int i = 1; i < categories.length; i++) {
      if (!(categories[i] > categories[i - 1])) {
        throw new IllegalArgumentException(
            "categories must be strictly increasing: " + java.util.Arrays.toString(categories));
      }
    }
    double[] normalised = categories.clone();
    for (int i = 0; i < normalised.length; i++) {
      normalised[i] += 0.0; // fold -0.0 into 0.0 for the binary search
    }
    long[][] t = new long[categories.length][categories.length];
    for (int i = 0; i < a.length; i++) {
      int r = Checks.indexOf(normalised, a[i]);
      int c = Checks.indexOf(normalised, b[i]);
      if (r < 0 || c < 0) {
        throw new IllegalArgumentException(
            "rating " + (r < 0 ? a[i] : b[i]) + " at index " + i + " is not one of the categories "
                + java.util.Arrays.toString(categories));
      }
      t[r][c]++;
    }
    return t;
  }

  private static double[] positions(int k) {
    double[] v = new double[k];
    for (int i = 0; i < k; i++) {
      v[i] = i;
    }
    return v;
  }

  private static KappaResult compute(long[][] table, KappaWeights weights, double[] values) {
    int k = table.length;
    long n = 0;
    long agreeing = 0;
    for (int i = 0; i < k; i++) {
      if (table[i] == null || table[i].length != k) {
        throw new IllegalArgumentException("contingency table is not square");
      }
      for (int j = 0; j < k; j++) {
        if (table[i][j] < 0) {
          throw new IllegalArgumentException("negative count in contingency table at [" + i + "][" + j + "]");
        }
        n += table[i][j];
      }
      agreeing += table[i][i];
    }
    if (n == 0) {
      throw new IllegalArgumentException("Cohen's kappa: the table has no counts, nothing to measure");
    }
    double[][] d = weights.disagreement(values);

    double[][] p = new double[k][k];
    double[] row = new double[k];
    double[] col = new double[k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        p[i][j] = (double) table[i][j] / n;
        row[i] += p[i][j];
        col[j] += p[i][j];
      }
    }
    // Work with disagreements: chance disagreement is exactly 0 when no disagreement is possible, which is the
    // undefined case; 1 - p_e computed from agreements would carry rounding noise instead.
    double observedDis = 0;
    double expectedDis = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        observedDis += d[i][j] * p[i][j];
        expectedDis += d[i][j] * row[i] * col[j];
      }
    }
    double kappa = expectedDis == 0 ? Double.NaN : 1 - observedDis / expectedDis;
    double po = 1 - observedDis;
    double pe = 1 - expectedDis;

    // Fleiss, Cohen & Everitt (1969) with agreement weights w = 1 - d; wRow[i] = Σ_j col_j w_ij,
    // wCol[j] = Σ_i row_i w_ij.
    double[] wRow = new double[k];
    double[] wCol = new double[k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double w = 1 - d[i][j];
        wRow[i] += col[j] * w;
        wCol[j] += row[i] * w;
      }
    }
    double se = Double.NaN;
    double seNull = Double.NaN;
    if (expectedDis != 0) {
      double sum = 0;
      double sumNull = 0;
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          double w = 1 - d[i][j];
          double dev = w - (wRow[i] + wCol[j]) * (1 - kappa);
          sum += p[i][j] * dev * dev;
          double devNull = w - (wRow[i] + wCol[j]);
          sumNull += row[i] * col[j] * devNull * devNull;
        }
      }
      double scale = n * expectedDis * expectedDis;
      double shift = kappa - pe * (1 - kappa);
      // Rounding can push a true 0 (perfect agreement) a hair below zero.
      se = Math.sqrt(Math.max(0, (sum - shift * shift) / scale));
      seNull = Math.sqrt(Math.max(0, (sumNull - pe * pe) / scale));
    }
    return new KappaResult(kappa, po, pe, n, agreeing, k, weights.name(), se, seNull);
  }
}
