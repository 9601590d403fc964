package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Known values of the normal and t distributions (closed forms, or standard tables to 15+ digits). */
class DistributionsTest {
  @Test
  void normal() {
    assertEquals(0.5, Distributions.normalCdf(0), 1e-16);
    assertEquals(0.975, Distributions.normalCdf(1.959963984540054), 1e-15);
    // Upper tails keep relative precision far out.
    assertEquals(2.866515718791939e-07, Distributions.normalSf(5), 1e-20);
    assertEquals(7.619853024160527e-24, Distributions.normalSf(10), 1e-36);
    assertEquals(1.0, Distributions.normalTwoSided(0), 1e-16);
  }

  @Test
  void normalQuantileInvertsTheCdf() {
    assertEquals(1.959963984540054, Distributions.normalQuantile(0.975), 1e-14);
    assertEquals(-1.959963984540054, Distributions.normalQuantile(0.025), 1e-14);
    for (double p : new double[] {1e-12, 1e-5, 0.02, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9}) {
      assertEquals(p, Distributions.normalCdf(Distributions.normalQuantile(p)), 1e-14 * Math.max(p, 1e-3));
    }
    assertThrows(IllegalArgumentException.class, () -> Distributions.normalQuantile(1.5));
  }

  @Test
  void studentT() {
    // df = 1 is Cauchy: P(T > 1) = 1/4. df = 2: P(T > t) = 1/2 - t / (2 sqrt(t² + 2)).
    assertEquals(0.25, Distributions.studentTSf(1, 1), 1e-15);
    assertEquals(0.5 - 2 / (2 * Math.sqrt(6)), Distributions.studentTSf(2, 2), 1e-15);
    assertEquals(1 - 0.25, Distributions.studentTSf(-1, 1), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Distributions.studentTSf(1, 0));
  }

  @Test
  void studentTQuantileMatchesPublishedTables() {
    // Two-sided 95% critical values (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2; scipy.stats.t.ppf(0.975, df)).
    assertEquals(12.706204736, Distributions.studentTQuantile(0.975, 1), 1e-8);
    assertEquals(4.302652730, Distributions.studentTQuantile(0.975, 2), 1e-8);
    assertEquals(2.228138852, Distributions.studentTQuantile(0.975, 10), 1e-8);
    assertEquals(2.042272456, Distributions.studentTQuantile(0.975, 30), 1e-8);
    assertEquals(1.983971519, Distributions.studentTQuantile(0.975, 100), 1e-8);
    assertEquals(63.656741163, Distributions.studentTQuantile(0.995, 1), 1e-7);
    assertEquals(-2.228138852, Distributions.studentTQuantile(0.025, 10), 1e-8);
    assertEquals(0.0, Distributions.studentTQuantile(0.5, 7), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, Distributions.studentTQuantile(1, 3));
    assertThrows(IllegalArgumentException.class, () -> Distributions.studentTQuantile(1.5, 3));
    assertThrows(IllegalArgumentException.class, () -> Distributions.studentTQuantile(0.9, 0));
  }

  @Test
  void specialFunctions() {
    assertEquals(1.0, Distributions.erfc(0), 1e-16);
    assertEquals(0.15729920705028513, Distributions.erfc(1), 1e-14 * 0.157);
    assertEquals(1.8427007929497148, Distributions.erfc(-1), 1e-14);
    assertEquals(0.5 * Math.log(Math.PI), Distributions.logGamma(0.5), 1e-14);
    assertEquals(Math.log(362880), Distributions.logGamma(10), 1e-13);
  }
}
