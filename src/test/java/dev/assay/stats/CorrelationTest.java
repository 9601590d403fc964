package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-computed Pearson and Spearman cases; they need no shared data. */
class CorrelationTest {
  @Test
  void pearsonByHand() {
    // x = [1, 2, 3], y = [1, 2, 4]: dx = (-1, 0, 1), dy = (-4/3, -1/3, 5/3);
    // Σdxdy = 3, Σdx² = 2, Σdy² = 14/3; r = 3 / sqrt(28/3). With n = 3 (1 degree of freedom, a Cauchy t) the
    // two-sided p has a closed form: (2/π) asin(sqrt(1 - r²)) = (2/π) asin(sqrt(1/28)).
    CorrelationResult r = Correlation.pearson(new double[] {1, 2, 3}, new double[] {1, 2, 4});
    assertEquals(3 / Math.sqrt(28.0 / 3), r.coefficient(), 1e-15);
    assertEquals(2 / Math.PI * Math.asin(Math.sqrt(1.0 / 28)), r.pValue(), 1e-14);
    assertEquals(3, r.n());
  }

  @Test
  void pearsonIgnoresLargeOffsets() {
    double base = 1e9;
    CorrelationResult r = Correlation.pearson(new double[] {base + 1, base + 2, base + 3}, new double[] {1, 2, 4});
    assertEquals(3 / Math.sqrt(28.0 / 3), r.coefficient(), 1e-12);
  }

  @Test
  void averageRanksForTies() {
    assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Correlation.ranks(new double[] {10, 20, 20, 30}), 0.0);
    assertArrayEquals(new double[] {3, 1, 2}, Correlation.ranks(new double[] {9, -1, 0}), 0.0);
    assertArrayEquals(new double[] {2, 2, 2}, Correlation.ranks(new double[] {5, 5, 5}), 0.0);
  }

  @Test
  void spearmanOfAMonotoneCurveIsOneWithPZero() {
    CorrelationResult r = Correlation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {1, 4, 9, 16, 25});
    assertEquals(1.0, r.coefficient(), 0.0);
    assertEquals(0.0, r.pValue(), 0.0);
  }

  @Test
  void constantInputIsNaN() {
    CorrelationResult r = Correlation.spearman(new int[] {2, 2, 2}, new int[] {2, 2, 2});
    assertTrue(Double.isNaN(r.coefficient()));
    assertTrue(Double.isNaN(r.pValue()));
    assertTrue(Double.isNaN(Correlation.pearson(new double[] {1, 2}, new double[] {3, 3}).coefficient()));
  }

  @Test
  void badInputFailsLoudly() {
    assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(new double[0], new double[0]));
    assertThrows(IllegalArgumentException.class, () -> Correlation.spearman(new double[] {1}, new double[] {1, 2}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Correlation.pearson(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}));
  }
}
