package dev.assay.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed Fleiss' kappa cases; they need no shared data. */
class FleissKappaTest {
  @Test
  void twoSubjectsThreeRatersByHand() {
    // Subject 1: all three say A; subject 2: one A, two B.
    // P_1 = (3² - 3) / (3·2) = 1; P_2 = (1 + 4 - 3) / 6 = 1/3; P̄ = 2/3.
    // p_A = 4/6, p_B = 2/6: P̄e = 16/36 + 4/36 = 5/9. kappa = (2/3 - 5/9) / (4/9) = 1/4.
    // Randolph: (2/3 - 1/2) / (1/2) = 1/3.
    FleissResult r = FleissKappa.fromTable(new long[][] {{3, 0}, {1, 2}});
    assertEquals(0.25, r.kappa(), 1e-15);
    assertEquals(2.0 / 3, r.observed(), 1e-15);
    assertEquals(5.0 / 9, r.expected(), 1e-15);
    assertEquals(1.0 / 3, r.randolphKappa(), 1e-15);
    assertEquals(2, r.subjects());
    assertEquals(3.0, r.ratersPerSubject());
    assertEquals(2, r.categories());
  }

  @Test
  void rawRatingsGiveTheSameAsTheTable() {
    FleissResult fromRatings = FleissKappa.fromRatings(new int[][] {{7, 7, 7}, {7, 9, 9}});
    assertEquals(0.25, fromRatings.kappa(), 1e-15);
    FleissResult fromLabels = FleissKappa.fromRatings(List.of(List.of("a", "a", "a"), List.of("b", "a", "b")));
    assertEquals(0.25, fromLabels.kappa(), 1e-15);
  }

  @Test
  void unusedCategoriesChangeRandolphOnly() {
    FleissResult r = FleissKappa.fromRatings(new int[][] {{1, 1, 1}, {1, 2, 2}}, new int[] {1, 2, 3, 4});
    assertEquals(0.25, r.kappa(), 1e-15);
    assertEquals(4, r.categories());
    // (2/3 - 1/4) / (3/4) = 5/9.
    assertEquals(5.0 / 9, r.randolphKappa(), 1e-15);
  }

  @Test
  void everyRatingInOneCategoryIsNaN() {
    FleissResult r = FleissKappa.fromRatings(new int[][] {{2, 2}, {2, 2}});
    assertTrue(Double.isNaN(r.kappa()));
    assertEquals(1.0, r.observed());
  }

  @Test
  void badInputFailsLoudly() {
    assertThrows(IllegalArgumentException.class, () -> FleissKappa.fromTable(new long[0][]));
    // Different numbers of raters: Fleiss' kappa needs a fixed n (use Krippendorff's alpha for missing ratings).
    assertThrows(IllegalArgumentException.class, () -> FleissKappa.fromTable(new long[][] {{2, 0}, {1, 2}}));
    assertThrows(IllegalArgumentException.class, () -> FleissKappa.fromTable(new long[][] {{1, 0}, {0, 1}}));
    assertThrows(IllegalArgumentException.class, () -> FleissKappa.fromTable(new double[][] {{1, -1, 2}}));
    assertThrows(
        IllegalArgumentException.class, () -> FleissKappa.fromRatings(new int[][] {{1, 5}}, new int[] {1, 2}));
  }
}
