package dev.assay.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * How much a disagreement between category i and category j counts in a weighted Cohen's kappa.
 *
 * <p>Weights are <em>disagreement</em> weights {@code d(i, j)} with {@code d(i, i) = 0}, scaled so the largest is 1
 * (kappa does not depend on the scale; the standard errors use the agreement weights {@code 1 - d}, as SAS and
 * statsmodels do). Weighted kappa is {@code 1 - Σ d·p_observed / Σ d·p_chance}.
 *
 * <p><b>Index or value.</b> {@link #linear()} and {@link #quadratic()} measure distance by the <em>position</em> of
 * the categories in the sorted category list ({@code |i - j|}, {@code (i - j)²}), as scikit-learn and R's {@code
 * irr::kappa2} do. With raw ratings the list holds only the values that occur, so when a value of the scale is never
 * used (say 5 on a 1-6 scale) positions and values part: 4 and 6 are one step apart by index, two by value. {@link
 * #linearByValue()} and {@link #quadraticByValue()} use the category values ({@code |v_i - v_j|}); passing the full
 * scale as the category list to {@code CohenKappa.of(a, b, weights, categories)} makes the two agree.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class KappaWeights {
  private enum Kind {
    NONE,
    LINEAR,
    QUADRATIC,
    DISTANCE_VECTOR,
    MATRIX
  }

  private static final KappaWeights UNWEIGHTED = new KappaWeights(Kind.NONE, false, null, null, "unweighted");
  private static final KappaWeights LINEAR = new KappaWeights(Kind.LINEAR, false, null, null, "linear");
  private static final KappaWeights QUADRATIC = new KappaWeights(Kind.QUADRATIC, false, null, null, "quadratic");
  private static final KappaWeights LINEAR_BY_VALUE =
      new KappaWeights(Kind.LINEAR, true, null, null, "linear-by-value");
  private static final KappaWeights QUADRATIC_BY_VALUE =
      new KappaWeights(Kind.QUADRATIC, true, null, null, "quadratic-by-value");

  private final Kind kind;
  private final boolean byValue;
  private final double[] vector;
  private final double[][] matrix;
  private final String name;

  private KappaWeights(Kind kind, boolean byValue, double[] vector, double[][] matrix, String name) {
    this.kind = kind;
    this.byValue = byValue;
    this.vector = vector;
    this.matrix = matrix;
    this.name = name;
  }

  /** Every disagreement counts 1: plain Cohen's kappa. */
  public static KappaWeights unweighted() {
    return UNWEIGHTED;
  }

  /** {@code |i - j|} over category index (scikit-learn "linear", R irr "equal", SAS Cicchetti-Allison). */
  public static KappaWeights linear() {
    return LINEAR;
  }

  /** {@code (i - j)²} over category index (scikit-learn "quadratic", R irr "squared", SAS Fleiss-Cohen). */
  public static KappaWeights quadratic() {
    return QUADRATIC;
  }

  /** {@code |v_i - v_j|} over category value (statsmodels' 1-D {@code weights} as category scores). */
  public static KappaWeights linearByValue() {
    return LINEAR_BY_VALUE;
  }

  /** {@code (v_i - v_j)²} over category value. */
  public static KappaWeights quadraticByValue() {
    return QUADRATIC_BY_VALUE;
  }

  /**
   * {@code d(i, j) = distances[|i - j|]} over category index: R irr's numeric {@code weight} vector, statsmodels'
   * {@code wt="toeplitz"}. Needs exactly one entry per category.
   *
   * @throws IllegalArgumentException unless {@code distances[0] == 0}, all entries are finite and non-negative,
   *     and one is positive
   */
  public static KappaWeights byDistance(double... distances) {
    Objects.requireNonNull(distances, "distances");
    double[] d = distances.clone();
    if (d.length < 2 || d[0] != 0) {
      throw new IllegalArgumentException(
          "distance weights need d[0] == 0 and one entry per category: " + Arrays.toString(d));
    }
    validateNonNegative(d, "distance weights");
    return new KappaWeights(Kind.DISTANCE_VECTOR, false, d, null, "distances" + Arrays.toString(d));
  }

  /**
   * A custom k x k disagreement matrix over category index.
   *
   * @throws IllegalArgumentException unless square, finite, non-negative, zero on the diagonal and positive
   *     somewhere (agreement weights, with 1 on the diagonal, are a common mistake and fail here)
   */
  public static KappaWeights matrix(double[][] disagreement) {
    Objects.requireNonNull(disagreement, "disagreement");
    int k = disagreement.length;
    double[][] d = new double[k][];
    for (int i = 0; i < k; i++) {
      if (disagreement[i] == null || disagreement[i].length != k) {
        throw new IllegalArgumentException("weight matrix is not square");
      }
      d[i] = disagreement[i].clone();
      validateNonNegative(d[i], "weight matrix");
      if (d[i][i] != 0) {
        throw new IllegalArgumentException(
            "weight matrix needs 0 on the diagonal (disagreement weights, not agreement weights): d["
                + i + "][" + i + "] = " + d[i][i]);
      }
    }
    if (Arrays.stream(d).flatMapToDouble(Arrays::stream).max().orElse(0) <= 0) {
      throw new IllegalArgumentException("weight matrix is all zero");
    }
    return new KappaWeights(Kind.MATRIX, false, null, d, "matrix");
  }

  private static void validateNonNegative(double[] d, String what) {
    for (double v : d) {
      if (!Double.isFinite(v) || v < 0) {
        throw new IllegalArgumentException(what + " must be finite and >= 0: " + Arrays.toString(d));
      }
    }
  }

  /** A short name for reports: {@code unweighted}, {@code linear}, {@code quadratic-by-value}, ... */
  public String name() {
    return name;
  }

  /** False only for {@link #unweighted()}. */
  public boolean isWeighted() {
    return kind != Kind.NONE;
  }

  /** True when distances come from category values rather than positions. */
  public boolean isByValue() {
    return byValue;
  }

  /**
   * The k x k disagreement weights for categories with these values (in category order), scaled to a maximum of 1;
   * all zero when there is a single category.
   */
  double[][] disagreement(double[] categoryValues) {
    int k = categoryValues.length;
    if ((kind == Kind.DISTANCE_VECTOR && vector.length != k) || (kind == Kind.MATRIX && matrix.length != k)) {
      int expected = kind == Kind.MATRIX ? matrix.length : vector.length;
      throw new IllegalArgumentException(
          name + " weights are for " + expected + " categories but there are " + k + " "
              + Arrays.toString(categoryValues));
    }
    double[][] d = new double[k][k];
    double max = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double pos = byValue ? categoryValues[i] - categoryValues[j] : i - j;
        double v =
            switch (kind) {
              case NONE -> i == j ? 0 : 1;
              case LINEAR -> Math.abs(pos);
              case QUADRATIC -> pos * pos;
              case DISTANCE_VECTOR -> vector[Math.abs(i - j)];
              case MATRIX -> matrix[i][j];
            };
        d[i][j] = v;
        max = Math.max(max, v);
      }
    }
    if (max > 0) {
      for (double[] row : d) {
        for (int j = 0; j < k; j++) {
          row[j] /= max;
        }
      }
    }
    return d;
  }

  @Override
  public String toString() {
    return name;
  }
}
