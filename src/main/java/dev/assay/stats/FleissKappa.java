package dev.assay.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fleiss' kappa: chance-corrected agreement of a fixed number n of raters per subject over nominal categories
 * (the raters need not be the same people across subjects). With n = 2 it equals Scott's pi.
 *
 * <p>Input is either a subjects x categories count table ({@code t[i][j]} = raters who put subject i in category j;
 * counts may be fractional, as in Randolph's weighted examples) or raw ratings (subjects x raters). From raw ratings
 * the categories are the observed values unless the caller passes them; unused categories do not change Fleiss'
 * kappa but do change Randolph's.
 *
 * <p>Contract: kappa is NaN when every rating is in one category (statsmodels and R irr give NaN too). Failure
 * modes ({@link IllegalArgumentException}): no subjects, rows with different totals (Fleiss needs a fixed number of
 * raters; use {@link KrippendorffAlpha} for missing ratings), fewer than two raters per subject, negative or
 * non-finite counts, a rating not among the given categories. O(N·k).
 */
public final class FleissKappa {
  /** Relative tolerance for "rows have the same total" with fractional counts (6.99 + 0.01 is not exactly 7). */
  private static final double ROW_TOTAL_TOLERANCE = 1e-9;

  private FleissKappa() {}

  /** Fleiss' kappa from an integer subjects x categories count table. */
  public static FleissResult fromTable(long[][] subjectsByCategories) {
    Objects.requireNonNull(subjectsByCategories, "table");
    double[][] t = new double[subjectsByCategories.length][];
    for (int i = 0; i < t.length; i++) {
      long[] row = Objects.requireNonNull(subjectsByCategories[i], "table row");
      t[i] = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        t[i][j] = row[j];
      }
    }
    return fromTable(t);
  }

  /** Fleiss' kappa from a subjects x categories count table (counts may be fractional). */
  public static FleissResult fromTable(double[][] subjectsByCategories) {
    Objects.requireNonNull(subjectsByCategories, "table");
    int subjects = subjectsByCategories.length;
    Checks.nonEmpty(subjects, "Fleiss' kappa");
    int k = Objects.requireNonNull(subjectsByCategories[0], "table row").length;
    if (k == 0) {
      throw new IllegalArgumentException("Fleiss' kappa: the table has no categories");
    }
    double raters = -1;
    double[] columnTotals = new double[k];
    double agreementSum = 0; // Σ_i P_i
    for (int i = 0; i < subjects; i++) {
      double[] row = Objects.requireNonNull(subjectsByCategories[i], "table row");
      if (row.length != k) {
        throw new IllegalArgumentException("Fleiss' kappa: row " + i + " has " + row.length + " categories, not " + k);
      }
      double total = 0;
      double squares = 0;
      for (int j = 0; j < k; j++) {
        if (!Double.isFinite(row[j]) || row[j] < 0) {
          throw new IllegalArgumentException("Fleiss' kappa: bad count " + row[j] + " at [" + i + "][" + j + "]");
        }
        total += row[j];
        squares += row[j] * row[j];
        columnTotals[j] += row[j];
      }
      if (raters < 0) {
        raters = total;
        if (!(raters > 1)) {
          throw new IllegalArgumentException("Fleiss' kappa needs at least two raters per subject, got " + raters);
        }
      } else if (Math.abs(total - raters) > ROW_TOTAL_TOLERANCE * raters) {
        throw new IllegalArgumentException(
            "Fleiss' kappa needs the same number of raters per subject: row 0 has " + raters + ", row " + i
                + " has " + total + " (use Krippendorff's alpha for missing ratings)");
      }
      agreementSum += (squares - total) / (total * (total - 1));
    }
    double observed = agreementSum / subjects;
    double expected = 0;
    double pq = 0; // Σ p_j q_j = 1 - expected, computed without cancellation
    double pqqp = 0; // Σ p_j q_j (q_j - p_j)
    double allRatings = subjects * raters;
    for (int j = 0; j < k; j++) {
      double p = columnTotals[j] / allRatings;
      double q = 1 - p;
      expected += p * p;
      pq += p * q;
      pqqp += p * q * (q - p);
    }
    double kappa = pq == 0 ? Double.NaN : (observed - expected) / pq;
    double randolph = k == 1 ? Double.NaN : (observed - 1.0 / k) / (1 - 1.0 / k);
    double seNull =
        pq == 0
            ? Double.NaN
            : Math.sqrt(2 * (pq * pq - pqqp) / (pq * pq * subjects * raters * (raters - 1)));
    return new FleissResult(kappa, observed, expected, randolph, subjects, raters, k, seNull);
  }

  /** Fleiss' kappa from raw integer ratings, subjects x raters; categories are the observed values. */
  public static FleissResult fromRatings(int[][] subjectsByRaters) {
    Objects.requireNonNull(subjectsByRaters, "ratings");
    int total = 0;
    for (int[] row : subjectsByRaters) {
      total += Objects.requireNonNull(row, "ratings row").length;
    }
    double[] all = new double[total];
    int at = 0;
    for (int[] row : subjectsByRaters) {
      for (int v : row) {
        all[at++] = v;
      }
    }
    double[] cats = Checks.sortedDistinct(all);
    int[] categories = new int[cats.length];
    for (int i = 0; i < cats.length; i++) {
      categories[i] = (int) cats[i];
    }
    return fromRatings(subjectsByRaters, categories);
  }

  /** Fleiss' kappa from raw integer ratings over the given categories (unused ones count for Randolph's kappa). */
  public static FleissResult fromRatings(int[][] subjectsByRaters, int[] categories) {
    Objects.requireNonNull(subjectsByRaters, "ratings");
    Objects.requireNonNull(categories, "categories");
    Map<Integer, Integer> index = new LinkedHashMap<>();
    for (int c : categories) {
      if (index.putIfAbsent(c, index.size()) != null) {
        throw new IllegalArgumentException("Fleiss' kappa: category " + c + " given twice");
      }
    }
    long[][] table = new long[subjectsByRaters.length][categories.length];
    for (int i = 0; i < subjectsByRaters.length; i++) {
      for (int v : Objects.requireNonNull(subjectsByRaters[i], "ratings row")) {
        Integer j = index.get(v);
        if (j == null) {
          throw new IllegalArgumentException("Fleiss' kappa: rating " + v + " of subject " + i + " is not a category");
        }
        table[i][j]++;
      }
    }
    return fromTable(table);
  }

  /** Fleiss' kappa from raw labels of any type, one list per subject; categories are the observed labels. */
  public static <T> FleissResult fromRatings(List<? extends List<T>> subjects) {
    Objects.requireNonNull(subjects, "subjects");
    Map<T, Integer> index = new LinkedHashMap<>();
    for (List<T> s : subjects) {
      for (T label : Objects.requireNonNull(s, "subject")) {
        if (label == null) {
          throw new IllegalArgumentException("Fleiss' kappa: null rating (use Krippendorff's alpha for missing)");
        }
        index.putIfAbsent(label, index.size());
      }
    }
    long[][] table = new long[subjects.size()][index.size()];
    for (int i = 0; i < subjects.size(); i++) {
      for (T label : subjects.get(i)) {
        table[i][index.get(label)]++;
      }
    }
    return fromTable(table);
  }
}
