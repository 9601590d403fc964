package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed Cohen's kappa cases; they need no shared data. */
class CohenKappaTest {
  @Test
  void textbookTwoByTwo() {
    // 50 items, rows rater A (yes, no), columns rater B. p_o = (20 + 15) / 50 = 0.7.
    // A says yes 25/50, B says yes 30/50: p_e = 0.5·0.6 + 0.5·0.4 = 0.5. kappa = (0.7 - 0.5) / 0.5 = 0.4.
    KappaResult r = CohenKappa.fromTable(new long[][] {{20, 5}, {10, 15}});
    assertEquals(0.4, r.kappa(), 1e-15);
    assertEquals(0.7, r.observed(), 1e-15);
    assertEquals(0.5, r.expected(), 1e-15);
    assertEquals(50, r.items());
    assertEquals(35, r.agreeing());
    assertEquals(new AgreementResult(35, 50), r.percentAgreement());
    assertEquals("unweighted", r.weighting());
  }

  @Test
  void rawLabelsOfAnyTypeGiveTheSameAsTheTable() {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    add(a, b, "yes", "yes", 20);
    add(a, b, "yes", "no", 5);
    add(a, b, "no", "yes", 10);
    add(a, b, "no", "no", 15);
    assertEquals(0.4, CohenKappa.of(a, b).kappa(), 1e-15);
    // Label order is irrelevant to unweighted kappa.
    Collections.reverse(a);
    Collections.reverse(b);
    assertEquals(0.4, CohenKappa.of(a, b).kappa(), 1e-15);
  }

  private static void add(List<String> a, List<String> b, String x, String y, int times) {
    for (int i = 0; i < times; i++) {
      a.add(x);
      b.add(y);
    }
  }

  @Test
  void perfectAgreementIsOneWithZeroStandardError() {
    KappaResult r = CohenKappa.of(new int[] {1, 2, 3, 1}, new int[] {1, 2, 3, 1});
    assertEquals(1.0, r.kappa(), 1e-15);
    assertEquals(0.0, r.standardError(), 1e-12);
  }

  @Test
  void chanceAgreementOfOneIsNaN() {
    // Both raters always say 3: p_o = p_e = 1, kappa = 0/0. scikit-learn and statsmodels return NaN too.
    KappaResult r = CohenKappa.of(new int[] {3, 3, 3}, new int[] {3, 3, 3});
    assertTrue(Double.isNaN(r.kappa()));
    assertEquals(1.0, r.observed());
    assertEquals(1.0, r.expected());
    assertEquals(3, r.agreeing());
  }

  @Test
  void constantButDifferentRatersGiveZeroNotNaN() {
    // A always 1, B always 2: p_o = 0, p_e = 1·0 + 0·1 = 0, kappa = 0.
    assertEquals(0.0, CohenKappa.of(new int[] {1, 1}, new int[] {2, 2}).kappa(), 0.0);
  }

  @Test
  void linearWeightsByHand() {
    // a = [1, 2, 3], b = [1, 3, 3]; categories {1, 2, 3}, d = |i - j| / 2.
    // Observed disagreement: one item (2, 3) with d = 1/2, over 3 items = 1/6.
    // Rows 1/3 each; columns (1/3, 0, 2/3). Expected: 1/3 · [(0·1/3 + 1·2/3) + (1/2·1/3 + 1/2·2/3) + (1·1/3)]
    //   = 1/3 · (2/3 + 1/2 + 1/3) = 1/2. kappa = 1 - (1/6) / (1/2) = 2/3.
    assertEquals(2.0 / 3, CohenKappa.of(new int[] {1, 2, 3}, new int[] {1, 3, 3}, KappaWeights.linear()).kappa(), 1e-15);
  }

  @Test
  void weightsOverIndexAndOverValuePartWhenACategoryIsUnused() {
    int[] a = {1, 2, 4};
    int[] b = {1, 4, 4};
    // By index the observed categories {1, 2, 4} are 0, 1, 2 apart: the same table as above, 2/3.
    assertEquals(2.0 / 3, CohenKappa.of(a, b, KappaWeights.linear()).kappa(), 1e-15);
    // By value d = |v_i - v_j| / 3: observed 1/3 · 2/3 = 2/9; expected 1/3 · (2/3 + 5/9 + 1/3) = 14/27;
    // kappa = 1 - (2/9) / (14/27) = 4/7.
    assertEquals(4.0 / 7, CohenKappa.of(a, b, KappaWeights.linearByValue()).kappa(), 1e-15);
    // Naming the whole scale makes index and value agree (the scale is evenly spaced).
    assertEquals(4.0 / 7, CohenKappa.of(a, b, KappaWeights.linear(), new int[] {1, 2, 3, 4}).kappa(), 1e-15);
  }

  @Test
  void customWeightsMatchTheBuiltInOnes() {
    int[] a = {1, 2, 3, 3, 2, 1, 1, 3};
    int[] b = {1, 3, 3, 2, 2, 1, 2, 1};
    double linear = CohenKappa.of(a, b, KappaWeights.linear()).kappa();
    double quadratic = CohenKappa.of(a, b, KappaWeights.quadratic()).kappa();
    double unweighted = CohenKappa.of(a, b).kappa();
    assertEquals(linear, CohenKappa.of(a, b, KappaWeights.byDistance(0, 1, 2)).kappa(), 1e-15);
    assertEquals(quadratic, CohenKappa.of(a, b, KappaWeights.byDistance(0, 1, 4)).kappa(), 1e-15);
    assertEquals(unweighted, CohenKappa.of(a, b, KappaWeights.byDistance(0, 1, 1)).kappa(), 1e-15);
    double[][] m = {{0, 1, 2}, {1, 0, 1}, {2, 1, 0}};
    assertEquals(linear, CohenKappa.of(a, b, KappaWeights.matrix(m)).kappa(), 1e-15);
    // Scale does not matter.
    assertEquals(linear, CohenKappa.of(a, b, KappaWeights.byDistance(0, 5, 10)).kappa(), 1e-15);
  }

  @Test
  void confidenceIntervalIsWald() {
    KappaResult r = CohenKappa.fromTable(new long[][] {{20, 5}, {10, 15}});
    ConfidenceInterval ci = r.confidenceInterval(0.95);
    assertEquals(r.kappa() - 1.959963984540054 * r.standardError(), ci.lower(), 1e-12);
    assertEquals(r.kappa() + 1.959963984540054 * r.standardError(), ci.upper(), 1e-12);
    assertEquals(r.kappa() / r.standardErrorNull(), r.z(), 0.0);
  }

  @Test
  void badInputFailsLoudly() {
    assertThrows(IllegalArgumentException.class, () -> CohenKappa.of(new int[] {1, 2}, new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> CohenKappa.of(new int[0], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> CohenKappa.of(List.of(), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> CohenKappa.of(new double[] {1, Double.NaN}, new double[] {1, 2}, KappaWeights.linear()));
    assertThrows(
        IllegalArgumentException.class,
        () -> CohenKappa.of(new int[] {1, 6}, new int[] {1, 2}, KappaWeights.linear(), new int[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class, () -> CohenKappa.fromTable(new long[][] {{0, 0}, {0, 0}}));
    assertThrows(IllegalArgumentException.class, () -> CohenKappa.fromTable(new long[][] {{1, 2}, {3}}));
    assertThrows(IllegalArgumentException.class, () -> CohenKappa.fromTable(new long[][] {{1, -1}, {0, 1}}));
    // Weights for another number of categories.
    assertThrows(
        IllegalArgumentException.class,
        () -> CohenKappa.of(new int[] {1, 2}, new int[] {2, 1}, KappaWeights.byDistance(0, 1, 2)));
    // Agreement weights (1 on the diagonal) passed where disagreement weights are expected.
    assertThrows(IllegalArgumentException.class, () -> KappaWeights.matrix(new double[][] {{1, 0}, {0, 1}}));
    assertThrows(IllegalArgumentException.class, () -> KappaWeights.byDistance(1, 0));
    List<String> withNull = Arrays.asList("a", null);
    assertThrows(IllegalArgumentException.class, () -> CohenKappa.of(withNull, List.of("a", "b")));
  }
}
