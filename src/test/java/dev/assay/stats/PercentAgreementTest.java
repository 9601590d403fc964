package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentAgreementTest {
  @Test
  void countsBesideTheRatio() {
    AgreementResult r = PercentAgreement.of(List.of("A", "B", "tie", "A"), List.of("A", "B", "A", "A"));
    assertEquals(new AgreementResult(3, 4), r);
    assertEquals(0.75, r.ratio());
    assertEquals(75.0, r.percent());
    assertEquals("3/4 (75.00%)", r.toString());
    assertEquals(new AgreementResult(5, 7), r.plus(PercentAgreement.ofCounts(2, 3)));
  }

  @Test
  void allPairsWithinUnits() {
    // Unit 1: votes a, a, b: 3 pairs, 1 agrees. Unit 2: one vote (null is missing): no pair. Unit 3: b, b: 1 of 1.
    AgreementResult r =
        PercentAgreement.pairwise(List.of(List.of("a", "a", "b"), Arrays.asList("a", null), List.of("b", "b")));
    assertEquals(new AgreementResult(2, 4), r);
  }

  @Test
  void edgeCases() {
    assertTrue(Double.isNaN(PercentAgreement.ofCounts(0, 0).ratio()));
    assertThrows(IllegalArgumentException.class, () -> PercentAgreement.ofCounts(3, 2));
    assertThrows(IllegalArgumentException.class, () -> PercentAgreement.of(new int[] {1}, new int[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> PercentAgreement.of(new int[0], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> PercentAgreement.pairwise(List.of(List.of("a"))));
  }
}
