package dev.assay.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SubsetGainTest {
  /** 200 items: the first 100 kept, 90 of them right; of the 100 rejected, 50 right. */
  private static boolean[][] population() {
    boolean[] correct = new boolean[200];
    boolean[] kept = new boolean[200];
    for (int i = 0; i < 200; i++) {
      kept[i] = i < 100;
      correct[i] = i < 100 ? i < 90 : i < 150;
    }
    return new boolean[][] {correct, kept};
  }

  @Test
  void aClearGainHasAnIntervalAboveZero() {
    boolean[][] p = population();
    SubsetGain g = SubsetGain.of(p[0], p[1], 2000, 7, 0.95);
    assertThat(g.estimate(), closeTo(0.90 - 0.70, 1e-12));
    assertThat(g.interval().lower(), greaterThan(0.0));
    assertThat(g.interval().lower(), lessThan(g.estimate()));
    assertThat(g.interval().upper(), greaterThan(g.estimate()));
    assertThat(g.measurable(), is(true));
    assertThat(g.skipped(), is(0));
  }

  @Test
  void theSameSeedGivesTheSameInterval() {
    boolean[][] p = population();
    assertThat(SubsetGain.of(p[0], p[1], 500, 11, 0.95), equalTo(SubsetGain.of(p[0], p[1], 500, 11, 0.95)));
  }

  @Test
  void aSubsetNoBetterThanTheWholeHasAnIntervalAcrossZero() {
    boolean[] correct = new boolean[200];
    boolean[] kept = new boolean[200];
    for (int i = 0; i < 200; i++) {
      correct[i] = i % 2 == 0; // 50% right everywhere
      kept[i] = i % 4 < 2; // half kept, itself 50% right
    }
    SubsetGain g = SubsetGain.of(correct, kept, 2000, 3, 0.95);
    assertThat(g.estimate(), closeTo(0, 1e-12));
    assertThat(g.interval().lower(), lessThan(0.0));
    assertThat(g.interval().upper(), greaterThan(0.0));
    assertThat(g.measurable(), is(false));
  }

  @Test
  void nothingKeptHasNoGain() {
    SubsetGain g = SubsetGain.of(new boolean[] {true, false}, new boolean[] {false, false}, 10, 1, 0.95);
    assertThat(Double.isNaN(g.estimate()), is(true));
    assertThat(Double.isNaN(g.interval().lower()), is(true));
    assertThat(g.measurable(), is(false));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> SubsetGain.of(new boolean[2], new boolean[3], 10, 1, 0.95));
    assertThrows(IllegalArgumentException.class, () -> SubsetGain.of(new boolean[2], new boolean[2], 0, 1, 0.95));
    assertThrows(IllegalArgumentException.class, () -> SubsetGain.of(new boolean[2], new boolean[2], 10, 1, 1.0));
  }
}
