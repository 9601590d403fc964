package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.pipeline.RunnerChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Non-timing logic of the I/O benchmark: defaults, validation, the report and the httpx output parser. */
class IoBenchmarkTest {
  @Test
  void defaultRequestsAreThirtySecondsAtTheIdealRateAndAtLeastTwentyTimesC() {
    assertThat(IoBenchmark.idealRate(256, 50), closeTo(5120.0, 1e-9));
    assertThat(IoBenchmark.defaultRequests(256, 50), is(153_600));
    assertThat(IoBenchmark.defaultRequests(64, 50), is(38_400));
    // httpx gets ten seconds: it is CPU-bound at a tenth of the ideal rate, so its rate is soon read.
    assertThat(IoBenchmark.defaultPythonRequests(256, 50), is(51_200));
    // A slow server: thirty seconds at C/L would be fewer than 20 x C.
    assertThat(IoBenchmark.defaultRequests(64, 5_000), is(1_280));
  }

  @Test
  void explicitCountsWinAndPythonFollowsAssayUnlessSet() {
    IoBenchmark.Settings s = new IoBenchmark.Settings(50, List.of(64), 1000, 10, null, null, null, null);
    assertThat(s.requestsFor(64), is(1000));
    assertThat(s.pythonRequestsFor(64), is(1000));
    IoBenchmark.Settings t = new IoBenchmark.Settings(50, List.of(64), null, 10, null, null, 300, null);
    assertThat(t.requestsFor(64), is(38_400));
    assertThat(t.pythonRequestsFor(64), is(300));
    assertThat(new IoBenchmark.Settings(50, List.of(64), null, 10, null, null, null, null).pythonRequestsFor(64), is(12_800));
  }

  /** The transform runs where ./assay run would put that many model calls, unless --runner says otherwise. */
  @Test
  void theRunnerIsTheOneAutoPicksForTheCallsUnlessNamed() {
    IoBenchmark.Settings auto = new IoBenchmark.Settings(50, List.of(64, 256), null, 10, null, null, null, null);
    assertThat(auto.runnerFor(256).kind(), is(RunnerChoice.Kind.FLINK)); // 153,600 calls
    IoBenchmark.Settings few = new IoBenchmark.Settings(50, List.of(64), 5_000, 10, null, null, null, null);
    assertThat(few.runnerFor(64).kind(), is(RunnerChoice.Kind.DIRECT));
    IoBenchmark.Settings direct = new IoBenchmark.Settings(50, List.of(256), null, 10, null, null, null, null, RunnerChoice.Kind.DIRECT);
    assertThat(direct.runnerFor(256).kind(), is(RunnerChoice.Kind.DIRECT));
  }

  @Test
  void settingsRefuseNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new IoBenchmark.Settings(0, List.of(64), null, 0, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new IoBenchmark.Settings(50, List.of(), null, 0, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new IoBenchmark.Settings(50, List.of(0), null, 0, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new IoBenchmark.Settings(50, List.of(64), 0, 0, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new IoBenchmark.Settings(50, List.of(64), null, -1, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new IoBenchmark.Settings(50, List.of(64), null, 0, null, null, null, -1));
  }

  @Test
  void rowDerivesRatesAndTheReportPrintsThem() {
    IoBenchmark.Row row = new IoBenchmark.Row(256, 50, 51_200, 20.0, 10.24, 51_200, 512.0, 5120);
    assertThat(row.rate(), closeTo(2560.0, 1e-9));
    assertThat(row.ofIdeal(), closeTo(0.5, 1e-9));
    assertThat(row.cpuMicrosPerRequest(), closeTo(200.0, 1e-9));
    String report = IoBenchmark.format(List.of(row, new IoBenchmark.Row(64, 50, 1280, 1.0, 0.5, 1280, Double.NaN, 1280)));
    String[] lines = report.split("\n");
    assertThat(lines.length, is(3));
    assertThat(lines[0], containsString("of_ideal"));
    assertThat(lines[1], containsString("2560"));
    assertThat(lines[1], containsString("0.50"));
    assertThat(lines[1], containsString("5.00"));
    assertThat(lines[1], containsString(" 200 "));
    assertTrue(lines[2].trim().endsWith("-"), lines[2]);
  }

  @Test
  void parsesTheHttpxResultLine() {
    assertThat(IoBenchmark.parseHttpxRate("warming\nrate=479.5 requests=100 ok=100 wall_s=0.2 concurrency=64\n"), closeTo(479.5, 1e-9));
    assertTrue(Double.isNaN(IoBenchmark.parseHttpxRate("Traceback ...")));
  }
}
