package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the inter-annotator Cohen's kappas PandaLM publishes for its human test set.
 *
 * <p>Published (WeOpenML/PandaLM README, "We calculate the IAA of each annotator using Cohen's kappa"): a symmetric
 * matrix to <b>two decimals</b>: annotator #1-#2 0.85, #1-#3 0.88, #2-#3 0.86, i.e. "0.85 / 0.88 / 0.86" read row
 * by row. The data ({@code shared/data/pandalm/testset-v1.json}, 999 items) has fields {@code annotator1..3} with 0
 * = tie, 1 / 2 = that response is better (the README's example still calls them {@code label_0..2}).
 *
 * <p>Finding: plain (unweighted) Cohen's kappa over the three labels {0, 1, 2}, pairing annotator i with annotator
 * j, gives
 *
 * <pre>
 *   pair   agree   kappa      published
 *   1-2    912/999 0.852023   0.85
 *   1-3    928/999 0.878944   0.88
 *   2-3    917/999 0.861661   0.86
 * </pre>
 *
 * The pairing is forced: the three values differ in the second decimal, so no other assignment rounds to the
 * published cells. Weighted kappa does not reproduce them (linear 0.846 / 0.875 / 0.866, quadratic 0.838 / 0.869 /
 * 0.871: the 2-3 cell would read 0.87), as expected since "tie" (0) is not a grade between "1 better" and "2
 * better". The majority vote of the three gives 105 ties / 422 / 472, the README's label distribution, with no
 * three-way split.
 *
 * <p>Skipped, with a message, when {@code ../shared/data} is absent.
 */
class PandaLmKappaTest {
  private static int[][] labels;

  @BeforeEach
  void load() {
    // Per test, not @BeforeAll: surefire reports a skip (and its message) only for tests, not for a class.
    if (labels == null) {
      labels = PandaLm.annotatorLabels();
    }
  }

  @Test
  void pairwiseKappasRoundToThePublishedTwoDecimals() {
    assertPair(0, 1, 0.85, 912, 0.852023);
    assertPair(0, 2, 0.88, 928, 0.878944);
    assertPair(1, 2, 0.86, 917, 0.861661);
  }

  @Test
  void weightedKappaWouldNotReproduceThem() {
    // Shows the README's numbers are unweighted: linear weights move the 2-3 cell to 0.87.
    double linear23 = CohenKappa.of(labels[1], labels[2], KappaWeights.linear()).kappa();
    assertEquals(0.8658, linear23, 5e-5);
    assertNotEquals(0.86, Math.round(linear23 * 100) / 100.0);
  }

  @Test
  void majorityLabelsMatchTheReadmeDistribution() {
    long[] counts = new long[3];
    for (int i = 0; i < labels[0].length; i++) {
      int a = labels[0][i];
      int b = labels[1][i];
      int c = labels[2][i];
      assertTrue(a == b || a == c || b == c, "three-way split at item " + i);
      counts[a == b || a == c ? a : b]++; // b == c whenever a is outvoted
    }
    assertEquals(105, counts[0]);
    assertEquals(422, counts[1]);
    assertEquals(472, counts[2]);
  }

  private static void assertPair(int a, int b, double published, long agreeing, double sixDecimals) {
    KappaResult r = CohenKappa.of(labels[a], labels[b]);
    String pair = "annotators " + (a + 1) + "-" + (b + 1);
    assertEquals(999, r.items(), pair);
    assertEquals(agreeing, r.agreeing(), pair);
    assertEquals(sixDecimals, r.kappa(), 5e-7, pair);
    assertEquals(published, Math.round(r.kappa() * 100) / 100.0, 0.0, pair + " rounded to two decimals");
  }
}
