package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.stats.KrippendorffAlpha.Level;
import org.junit.jupiter.api.Test;

/** Hand-computed Krippendorff's alpha cases; they need no shared data. */
class KrippendorffAlphaTest {
  private static final double NA = Double.NaN;

  @Test
  void nominalByHand() {
    // Units (1,1) (1,1) (2,2) (2,1). Coincidences: o11 = 4, o22 = 2, o12 = o21 = 1; n = 8, n1 = 5, n2 = 3.
    // D_o = 2/8; D_e = 2·5·3 / (8·7) = 30/56; alpha = 1 - (2/8) / (30/56) = 1 - 7/15 = 8/15.
    double[][] data = {{1, 1, 2, 2}, {1, 1, 2, 1}};
    AlphaResult r = KrippendorffAlpha.compute(data, Level.NOMINAL);
    assertEquals(8.0 / 15, r.alpha(), 1e-15);
    assertEquals(0.25, r.observedDisagreement(), 1e-15);
    assertEquals(30.0 / 56, r.expectedDisagreement(), 1e-15);
    assertEquals(8, r.pairableValues());
    assertEquals(4, r.pairableUnits());
    assertEquals(2, r.distinctValues());
    // With two values one step apart every metric but ordinal's reduces to nominal's 0/1.
    assertEquals(8.0 / 15, KrippendorffAlpha.compute(data, Level.INTERVAL).alpha(), 1e-15);
  }

  @Test
  void unitsWithOneValueDoNotPair() {
    double[][] data = {{1, 1, 2, 2, 5, NA}, {1, 1, 2, 1, NA, NA}};
    AlphaResult r = KrippendorffAlpha.compute(data, Level.NOMINAL);
    assertEquals(8.0 / 15, r.alpha(), 1e-15);
    assertEquals(8, r.pairableValues());
    assertEquals(4, r.pairableUnits());
    assertEquals(6, r.units());
  }

  @Test
  void valueCountsGiveTheSameAsReliabilityData() {
    long[][] counts = {{2, 0}, {2, 0}, {0, 2}, {1, 1}};
    assertEquals(
        8.0 / 15, KrippendorffAlpha.fromValueCounts(counts, new double[] {1, 2}, Level.NOMINAL).alpha(), 1e-15);
  }

  @Test
  void perfectAgreementIsOneAtEveryLevel() {
    double[][] data = {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, NA, 4}};
    for (Level level : Level.values()) {
      assertEquals(1.0, KrippendorffAlpha.compute(data, level).alpha(), 1e-15, level.name());
    }
  }

  @Test
  void noVariationIsNaN() {
    assertTrue(Double.isNaN(KrippendorffAlpha.compute(new double[][] {{3, 3}, {3, 3}}, Level.INTERVAL).alpha()));
  }

  @Test
  void badInputFailsLoudly() {
    assertThrows(
        IllegalArgumentException.class,
        () -> KrippendorffAlpha.compute(new double[][] {{1, NA}, {NA, 2}}, Level.NOMINAL));
    assertThrows(IllegalArgumentException.class, () -> KrippendorffAlpha.compute(new double[0][], Level.NOMINAL));
    assertThrows(
        IllegalArgumentException.class, () -> KrippendorffAlpha.compute(new double[][] {{1, 2}, {1}}, Level.NOMINAL));
    assertThrows(
        IllegalArgumentException.class, () -> KrippendorffAlpha.compute(new double[][] {{-1, 2}, {1, 2}}, Level.RATIO));
    assertThrows(
        IllegalArgumentException.class,
        () -> KrippendorffAlpha.compute(new double[][] {{Double.POSITIVE_INFINITY, 2}, {1, 2}}, Level.NOMINAL));
  }
}
