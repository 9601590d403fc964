package dev.assay.run;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The filter table's figures and its flag rule, on pairs built by hand. */
class FilterGainsTest {
  private static final boolean[] ALL = fill(200, true);

  private static boolean[] fill(int n, boolean v) {
    boolean[] a = new boolean[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  /** 200 pairs: the first 100 right, the last 100 wrong. */
  private static boolean[] right() {
    boolean[] r = new boolean[200];
    for (int i = 0; i < 100; i++) {
      r[i] = true;
    }
    return r;
  }

  @Test
  void aFilterThatRemovesMostlyWrongPairsGainsMeasurablyAndIsNotFlagged() {
    boolean[] right = right();
    boolean[] kept = new boolean[200];
    // Keeps 90 of the 100 right pairs and 10 of the 100 wrong ones: 90% right against 50%.
    for (int i = 0; i < 90; i++) {
      kept[i] = true;
    }
    for (int i = 100; i < 110; i++) {
      kept[i] = true;
    }
    FilterGains.Row row = FilterGains.row("consensus", true, right, ALL, kept, 2000, 42);
    assertThat(row.input(), is(200L));
    assertThat(row.kept(), is(100L));
    assertThat(row.removed(), is(100L));
    assertThat(row.retention(), closeTo(0.5, 1e-12));
    assertThat(row.inputRight(), is(100L));
    assertThat(row.keptRight(), is(90L));
    assertThat(row.rateKept(), closeTo(0.9, 1e-12));
    assertThat(row.gainOverInput().estimate(), closeTo(0.4, 1e-12));
    assertThat(row.gainOverInput().lower(), greaterThan(0.0));
    assertThat(row.gainOverInput().upper(), greaterThan(row.gainOverInput().estimate()));
    assertThat(row.flag(), nullValue());
  }

  @Test
  void aFilterThatRemovesRightAndWrongAlikeIsFlaggedBecauseItsIntervalCoversZero() {
    boolean[] right = right();
    boolean[] kept = new boolean[200];
    // Every other pair: 50% right kept, as before; the gain is 0 and its interval covers it.
    for (int i = 0; i < 200; i += 2) {
      kept[i] = true;
    }
    FilterGains.Row row = FilterGains.row("consistency C(x) >= 0.6", true, right, ALL, kept, 2000, 42);
    assertThat(row.gainOverInput().estimate(), closeTo(0.0, 1e-12));
    assertThat(row.gainOverInput().lower(), lessThan(0.0));
    assertThat(row.gainOverInput().upper(), greaterThan(0.0));
    assertThat(row.flag(), is("removed 100 pairs with no measurable gain"));
  }

  @Test
  void aFilterThatRemovesMostlyRightPairsIsFlaggedWithANegativeInterval() {
    boolean[] right = right();
    boolean[] kept = new boolean[200];
    for (int i = 50; i < 200; i++) {
      kept[i] = true;
    }
    FilterGains.Row row = FilterGains.row("length control <= 2.0x", true, right, ALL, kept, 2000, 42);
    assertThat(row.gainOverInput().upper(), lessThan(0.0));
    assertThat(row.flag(), is("removed 50 pairs with no measurable gain"));
  }

  @Test
  void aFilterThatRemovedNothingIsNotFlaggedAndOneThatKeptNothingIs() {
    FilterGains.Row none = FilterGains.row("guard", true, right(), ALL, ALL, 200, 42);
    assertThat(none.removed(), is(0L));
    assertThat(none.gainOverInput().estimate(), closeTo(0.0, 1e-12));
    assertThat(none.flag(), nullValue());
    FilterGains.Row empty = FilterGains.row("guard", true, right(), ALL, new boolean[200], 200, 42);
    assertThat(empty.rateKept(), nullValue());
    assertThat(empty.gainOverInput().estimate(), nullValue());
    assertThat(empty.flag(), is("removed 200 pairs with no measurable gain"));
    assertThat(FilterGains.points(empty.gainOverInput()), is("n/a"));
  }

  @Test
  void gainOverUnfilteredIsMeasuredOnEveryPairAndGainOverInputOnlyOnTheInput() {
    boolean[] right = right();
    boolean[] input = new boolean[200];
    boolean[] kept = new boolean[200];
    // The input: 60 right and 40 wrong pairs (60%); kept: the 60 right ones.
    for (int i = 0; i < 60; i++) {
      input[i] = true;
      kept[i] = true;
    }
    for (int i = 100; i < 140; i++) {
      input[i] = true;
    }
    FilterGains.Row row = FilterGains.row("guard", true, right, input, kept, 2000, 7);
    assertThat(row.input(), is(100L));
    assertThat(row.rateInput(), closeTo(0.6, 1e-12));
    assertThat(row.gainOverInput().estimate(), closeTo(0.4, 1e-12));
    assertThat(row.gainOverUnfiltered().estimate(), closeTo(0.5, 1e-12));
    assertThat(row.gainOverInput().lower(), lessThanOrEqualTo(row.gainOverInput().estimate()));
  }

  @Test
  void theSameArgumentsGiveTheSameIntervalsAndBadArgumentsAreRefused() {
    boolean[] kept = new boolean[200];
    for (int i = 0; i < 200; i += 3) {
      kept[i] = true;
    }
    assertThat(FilterGains.row("f", true, right(), ALL, kept, 500, 3), is(FilterGains.row("f", true, right(), ALL, kept, 500, 3)));
    assertThrows(IllegalArgumentException.class, () -> FilterGains.row("f", true, right(), ALL, new boolean[3], 10, 1));
    boolean[] input = new boolean[200];
    assertThrows(IllegalArgumentException.class, () -> FilterGains.row("f", true, right(), input, kept, 10, 1));
  }

  @Test
  void cellsPrintEveryRowWithItsIntervalAndFlagAndTheRecordRoundTripsThroughJson() throws Exception {
    boolean[] kept = new boolean[200];
    for (int i = 0; i < 200; i += 2) {
      kept[i] = true;
    }
    FilterGains.Row row = FilterGains.row("consensus", true, right(), ALL, kept, 500, 42);
    FilterGains g = new FilterGains("simulator", "prompt", 500, 42, 0.95, 200, 100, List.of(row),
        List.of(new FilterGains.Mode("filter", true, 100, 50, 0.5, 0.8, 0.2, 0.5, 0.5)));
    List<String> cells = g.cells().get(0);
    assertThat(cells.size(), is(FilterGains.headers().size()));
    assertThat(cells.get(7), is(FilterGains.points(row.gainOverInput())));
    assertThat(cells.get(9), is("removed 100 pairs with no measurable gain"));
    assertThat(g.modeCells().get(0).size(), is(FilterGains.modeHeaders().size()));
    assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(g), FilterGains.class), is(g));
  }
}
