package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress line's text: counts, rate, ETA and the edge cases of an estimate that is passed or unknown. */
class ProgressLineTest {
  @Test
  void showsDoneOverTotalRateEtaAndCosts() {
    ProgressLine line = new ProgressLine(120, 800, Duration.ofSeconds(5), 3, 1, 48210, 0.0123);
    assertThat(
        line.format(),
        is("requests 120/800 (15.0%) 24.0/s ETA 0:28 | retries 3 | failed 1 | tokens 48210 | cost $0.0123 of ~$0.0820 projected"));
  }

  @Test
  void projectsTheTotalCostOnlyFromPricedCallsAgainstAKnownTotal() {
    assertThat(new ProgressLine(200, 800, Duration.ofSeconds(5), 0, 0, 10, 0.5).projectedCost(), is(2.0));
    assertThat("no prices", new ProgressLine(200, 800, Duration.ofSeconds(5), 0, 0, 10, 0).projectedCost(), is((Double) null));
    assertThat("no total", new ProgressLine(200, 0, Duration.ofSeconds(5), 0, 0, 10, 0.5).projectedCost(), is((Double) null));
    assertThat("the estimate passed: the cost so far", new ProgressLine(900, 800, Duration.ofSeconds(5), 0, 0, 10, 0.5).projectedCost(), is(0.5));
  }

  @Test
  void capsAtOneHundredPercentWhenTheEstimateIsPassed() {
    ProgressLine line = new ProgressLine(900, 800, Duration.ofSeconds(10), 0, 0, 0, 0);
    assertThat(line.format(), is("requests 900/800 (100.0%) 90.0/s ETA ? | retries 0 | failed 0 | tokens 0 | cost $0.0000"));
  }

  @Test
  void noEtaBeforeTheFirstAnswerAndNoTotalWhenUnknown() {
    assertThat(
        new ProgressLine(0, 10, Duration.ZERO, 0, 0, 0, 0).format(),
        is("requests 0/10 (0.0%) 0.0/s ETA - | retries 0 | failed 0 | tokens 0 | cost $0.0000"));
    assertThat(
        new ProgressLine(5, 0, Duration.ofSeconds(1), 0, 0, 7, 0).format(),
        is("requests 5 5.0/s | retries 0 | failed 0 | tokens 7 | cost $0.0000"));
  }

  @Test
  void etaClockTurnsToHours() {
    assertThat(ProgressLine.clock(59), is("0:59"));
    assertThat(ProgressLine.clock(3725), is("1:02:05"));
  }
}
