package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hand-computed Kendall tau cases and a check of the O(n log n) algorithm against the O(n²) definition. */
class KendallTauTest {
  @Test
  void tauBWithTiesByHand() {
    // x = [1, 1, 2, 3], y = [1, 2, 2, 3]; the 6 pairs (i, j):
    //   (1,2) x tied            (1,3) C   (1,4) C
    //   (2,3) y tied            (2,4) C   (3,4) C
    // C = 4, D = 0, tied in x: 1, tied in y: 1. tau-b = 4 / sqrt((6 - 1)(6 - 1)) = 0.8.
    // tau-c: m = min(3 distinct x, 3 distinct y) = 3; 2·4 / (4² · 2/3) = 0.75.
    KendallResult r = KendallTau.compute(new double[] {1, 1, 2, 3}, new double[] {1, 2, 2, 3});
    assertEquals(0.8, r.tauB(), 1e-15);
    assertEquals(0.75, r.tauC(), 1e-15);
    assertEquals(4, r.concordant());
    assertEquals(0, r.discordant());
    assertEquals(1, r.tiedX());
    assertEquals(1, r.tiedY());
    assertEquals(0, r.tiedBoth());
    assertEquals(6, r.pairs());
    assertEquals(4, r.s());
  }

  @Test
  void reversedOrderIsMinusOneWithExactP() {
    // n = 4, no ties, D = 6 = all pairs: c = min(6, 0) = 0, exact p = 2 / 4! = 1/12.
    KendallResult r = KendallTau.compute(new int[] {1, 2, 3, 4}, new int[] {40, 30, 20, 10});
    assertEquals(-1.0, r.tauB(), 0.0);
    assertEquals(1.0 / 12, r.pValue(), 1e-15);
  }

  @Test
  void negativeZeroTiesWithZero() {
    KendallResult r = KendallTau.compute(new double[] {0.0, -0.0, 1}, new double[] {1, 2, 3});
    assertEquals(1, r.tiedX());
  }

  @Test
  void constantOrSingletonInputIsNaN() {
    // scipy: tau of a constant input is NaN (reference file, "degenerate_constant_input").
    KendallResult r = KendallTau.compute(new double[] {2, 2, 2}, new double[] {2, 0, 2});
    assertTrue(Double.isNaN(r.tauB()));
    assertTrue(Double.isNaN(r.tauC()));
    assertTrue(Double.isNaN(r.pValue()));
    assertTrue(Double.isNaN(KendallTau.tauB(new double[] {1}, new double[] {1})));
  }

  @Test
  void badInputFailsLoudly() {
    assertThrows(IllegalArgumentException.class, () -> KendallTau.compute(new double[0], new double[0]));
    assertThrows(IllegalArgumentException.class, () -> KendallTau.compute(new double[] {1, 2}, new double[] {1}));
    assertThrows(
        IllegalArgumentException.class, () -> KendallTau.compute(new double[] {1, Double.NaN}, new double[] {1, 2}));
    KendallResult tied = KendallTau.compute(new double[] {1, 1, 2}, new double[] {1, 2, 3});
    assertThrows(IllegalStateException.class, tied::pValueExact);
  }

  @Test
  void mergeSortCountsStrictInversions() {
    int[] a = {3, 1, 2, 2, 0};
    // Inversions: (3,1) (3,2) (3,2) (3,0) (1,0) (2,0) (2,0) = 7; the equal 2s are not one.
    assertEquals(7, KendallTau.mergeSortCountingSwaps(a));
    assertArrayEquals(new int[] {0, 1, 2, 2, 3}, a);
  }

  @Test
  void agreesWithTheQuadraticDefinitionOnTiedRandomData() {
    SplittableRandom random = new SplittableRandom(20240611);
    for (int round = 0; round < 300; round++) {
      int n = 1 + random.nextInt(60);
      int levels = 1 + random.nextInt(6); // few levels: many ties, like Likert scores
      double[] x = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = random.nextInt(levels);
        y[i] = random.nextInt(levels) + (random.nextInt(4) == 0 ? 0.5 : 0);
      }
      KendallResult fast = KendallTau.compute(x, y);
      long c = 0;
      long d = 0;
      long tx = 0;
      long ty = 0;
      long tb = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double sx = Math.signum(x[i] - x[j]);
          double sy = Math.signum(y[i] - y[j]);
          tx += sx == 0 ? 1 : 0;
          ty += sy == 0 ? 1 : 0;
          tb += sx == 0 && sy == 0 ? 1 : 0;
          c += sx * sy > 0 ? 1 : 0;
          d += sx * sy < 0 ? 1 : 0;
        }
      }
      String at = "round " + round;
      assertEquals(c, fast.concordant(), at);
      assertEquals(d, fast.discordant(), at);
      assertEquals(tx, fast.tiedX(), at);
      assertEquals(ty, fast.tiedY(), at);
      assertEquals(tb, fast.tiedBoth(), at);
      long pairs = (long) n * (n - 1) / 2;
      if (tx < pairs && ty < pairs) {
        assertEquals((c - d) / Math.sqrt((double) (pairs - tx) * (pairs - ty)), fast.tauB(), 1e-12, at);
      } else {
        assertTrue(Double.isNaN(fast.tauB()), at);
      }
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aMillionPairsRunInNLogN() {
    // O(n²) would be 5e11 pair comparisons; O(n log n) takes well under a second.
    int n = 1_000_000;
    SplittableRandom random = new SplittableRandom(7);
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextInt(5) + 1;
      y[i] = x[i] + random.nextInt(3);
    }
    KendallResult r = KendallTau.compute(x, y);
    assertEquals((long) n * (n - 1) / 2, r.concordant() + r.discordant() + r.tiedX() + r.tiedY() - r.tiedBoth());
    assertTrue(r.tauB() > 0.5, "strongly related by construction: " + r.tauB());
  }
}
