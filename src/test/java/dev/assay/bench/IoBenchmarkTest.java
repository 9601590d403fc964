package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.assay.pipeline.RunnerChoice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Non-timing logic of the I/O benchmark: defaults, validation, the report, the httpx output parser, the per-minute
 * rates and the process readings; and one tiny run end to end (client in its own JVM). Nothing here is timed.
 */
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
  void theReportShowsTheClientsResourcesAndDashesWhereUnmeasured() {
    IoBenchmark.Row row = new IoBenchmark.Row(4096, 2000, 100, 1.0, 1.0, 100, 500.0, 100,
        new ProcessSample(1700, 1800, 4163, 4220, 4096), 44);
    String[] lines = IoBenchmark.format(List.of(row, new IoBenchmark.Row(64, 50, 1280, 1.0, 0.5, 1280, Double.NaN, 1280))).split("\n");
    assertThat(lines[0], containsString("rss_mb"));
    assertThat(lines[0], containsString("httpx_mb"));
    assertThat(lines[1], containsString(" 1800 "));
    assertThat(lines[1], containsString(" 4163 "));
    assertThat(lines[1], containsString(" 4096 "));
    assertTrue(lines[1].trim().endsWith(" 44"), lines[1]);
    assertThat(lines[2].trim().split("\\s+")[9], is("-"));
  }

  @Test
  void perMinuteRatesUseWholeMinutesOnlyAndDoNotDrift() {
    ProcessSample p = new ProcessSample(1, 1, 1, 1, 1);
    // Readings every 30 s, each a little late as a timer's are: a minute still ends at the reading near 60k s.
    List<IoBenchmark.Sample> samples = List.of(
        new IoBenchmark.Sample(30.01, p, 3_000), new IoBenchmark.Sample(60.02, p, 6_000), new IoBenchmark.Sample(90.01, p, 9_000),
        new IoBenchmark.Sample(120.00, p, 15_000), new IoBenchmark.Sample(150.02, p, 16_000), new IoBenchmark.Sample(180.01, p, 18_000),
        new IoBenchmark.Sample(210.03, p, 19_000));
    List<Double> rates = IoBenchmark.perMinuteRates(samples);
    assertThat(rates.size(), is(3)); // the last half minute is not a whole minute
    assertThat(rates.get(0), closeTo(6_000 / 60.02, 1e-9));
    assertThat(rates.get(1), closeTo(9_000 / 59.98, 1e-9));
    assertThat(rates.get(2), closeTo(3_000 / 60.01, 1e-9));
  }

  @Test
  void countsOnlyTheProcesssOwnEstablishedConnections(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("tcp");
    Files.writeString(table, String.join("\n",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 0100007F:1F90 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 111 1 0 20 4 30 10 -1",
        "   1: 0100007F:1F90 0100007F:A1B3 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 20 4 30 10 -1",
        "   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 20 4 30 10 -1",
        "   3: 0100007F:1F91 0100007F:A1B4 01 00000000:00000000 00:00000000 00000000     0        0 444 1 0 20 4 30 10 -1",
        ""));
    // 111 and 222 are ours and established, 333 ours but listening, 444 established but another process's.
    assertThat(ProcessSample.establishedAmong(table, Set.of("111", "222", "333")), is(2L));
    assertThat(ProcessSample.establishedAmong(table, Set.of()), is(0L));
    assertThat(ProcessSample.establishedAmong(dir.resolve("missing"), Set.of("111")), is(0L));
  }

  @Test
  void peaksAreEachFieldsLargestReading() {
    ProcessSample peaks = ProcessSample.peaks(List.of(
        new ProcessSample(100, 120, 40, 60, 8), new ProcessSample(90, 130, 44, 58, 6), ProcessSample.NONE));
    assertThat(peaks, is(new ProcessSample(100, 130, 44, 60, 8)));
    assertThat(ProcessSample.peaks(List.of()), is(ProcessSample.NONE));
  }

  @Test
  void readsThisProcessOrNothingForOneThatIsGone() {
    ProcessSample self = ProcessSample.of(ProcessHandle.current().pid());
    if (Files.isDirectory(Path.of("/proc/self"))) {
      assertTrue(self.rssMb() > 0 && self.peakRssMb() >= self.rssMb() && self.threads() > 1 && self.fds() > 2, self.toString());
    }
    assertThat(ProcessSample.of(Long.MAX_VALUE), is(ProcessSample.NONE));
  }

  @Test
  void aTinyRunMeasuresTheClientInItsOwnProcess() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    IoBenchmark.Settings settings =
        new IoBenchmark.Settings(100, List.of(8), 160, 0, null, null, null, null, RunnerChoice.Kind.DIRECT, 1);
    List<IoBenchmark.Row> rows =
        new IoBenchmark(settings, Path.of("").toAbsolutePath(), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    String printed = log.toString(StandardCharsets.UTF_8);
    assertThat(printed, rows.size(), is(1));
    IoBenchmark.Row row = rows.get(0);
    assertThat(printed, row.served(), is(160L));
    assertThat(printed, containsString("stage.judge.bench.out=160"));
    if (Files.isDirectory(Path.of("/proc/self"))) {
      // The client ran in another JVM and was read while it worked: its own threads and its 8 connections.
      assertThat(printed, containsString("assay client (C=8), sampled every 1 s"));
      assertTrue(row.client().peakRssMb() > 0 && row.client().threads() >= 8, row.client().toString());
      assertThat(printed, row.client().established(), is(8L));
    }
  }

  @Test
  void parsesTheHttpxResultLine() {
    assertThat(IoBenchmark.parseHttpxRate("warming\nrate=479.5 requests=100 ok=100 wall_s=0.2 concurrency=64\n"), closeTo(479.5, 1e-9));
    assertTrue(Double.isNaN(IoBenchmark.parseHttpxRate("Traceback ...")));
  }
}
