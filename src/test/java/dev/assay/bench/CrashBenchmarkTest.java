package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.assay.pipeline.UsageException;
import dev.assay.sim.Fault;
import dev.assay.sim.RequestRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench crash} kept small enough for {@code mvn verify} (240 calls, 64 in flight, 20-80 ms, one kill), and its
 * checks shown to fail on a planted re-send and a planted change in the published files. The 100,000-call figures are
 * in RELIABILITY.md.
 */
class CrashBenchmarkTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);
  private static final Instant KILL = Instant.parse("2026-12-06T10:00:00Z");

  private static CrashBenchmark.Settings small(Path work) {
    return new CrashBenchmark.Settings(240, 20261206L, work, 64, "uniform:20-80", 0.10, 1, 4, 3, 400, 600, 10, 5, "512m", 180);
  }

  @Test
  @Timeout(300)
  void aKilledAndResumedRunEqualsTheUninterruptedOneAndEveryCheckIsEvaluated(@TempDir Path work) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    CrashBenchmark.Settings settings = small(work);
    CrashBenchmark.Report report =
        new CrashBenchmark(settings, Path.of("").toAbsolutePath(), new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
    String printed = progress.toString(StandardCharsets.UTF_8) + CrashBenchmark.format(report);
    System.out.print(printed);

    assertThat(printed, report.problems(), is(empty()));
    assertThat(report.calls(), is(240L));
    assertThat(report.children().stream().map(CrashBenchmark.Child::exit).toList(), contains("0", "SIGKILL", "0"));
    // Two per kill, the two exits, nine at the end: none was skipped on the way.
    assertThat(report.checks(), is(2 + 2 + 9));
    CrashBenchmark.Kill kill = report.kills().get(0);
    assertThat(kill.ledgerAtKill(), greaterThan(0L));
    assertThat(kill.ledgerAtKill(), lessThan(240L));
    assertThat(kill.resentFromLedger(), is(0L));
    long faults = report.children().stream().flatMap(c -> c.faults().values().stream()).mapToLong(Long::longValue).sum();
    assertThat("the simulator injected faults", faults, greaterThan(0L));
    assertThat(printed, containsString("all passed"));
    if (Files.exists(Path.of("/proc/self/status"))) {
      assertThat("the reference child's threads were sampled", report.children().get(0).peakThreads(), greaterThan(10L));
      assertThat(report.children().get(0).peakRssMb(), greaterThan(0L));
    }

    // The comparison the report relies on sees a single changed byte in a published file.
    Path judgments = work.resolve("crashed/judgments/judgments.jsonl");
    String text = Files.readString(judgments);
    Files.writeString(judgments, text.replaceFirst("\n", " \n"));
    assertThat(RunDiff.differences(work.resolve("reference"), work.resolve("crashed"), false),
        contains("judgments/judgments.jsonl differs (run-specific values masked)"));
  }

  private static RequestRecord chat(String body, long arrivedMsBeforeKill, long delayMs, int status) {
    return new RequestRecord(KILL.minusMillis(arrivedMsBeforeKill), "POST", CrashBenchmark.CHAT, "sim-m0", body, 1, status,
        status == 200 ? Fault.NONE : Fault.SERVER_ERROR, delayMs);
  }

  @Test
  void aResendOfARecordedAnswerFailsTheKill() {
    // The killed process: A answered and recorded, B answered and not recorded, C still awaiting the server.
    List<RequestRecord> killed = List.of(chat(A, 3000, 1000, 200), chat(B, 2000, 1500, 200), chat(C, 1000, 2000, 200));
    // After the resume B and C are sent again, as they should be.
    List<RequestRecord> sound = new java.util.ArrayList<>(killed);
    sound.addAll(List.of(chat(B, -100, 50, 200), chat(C, -100, 50, 200)));
    CrashBenchmark.Kill ok = CrashBenchmark.kill(1, 2, sound, 0, 3, 3, 5, KILL, Set.of(A));
    assertThat(ok.problems(), is(empty()));
    assertThat(List.of(ok.inFlight(), ok.awaitingServer(), ok.answeredUnrecorded(), ok.resent()), contains(2L, 1L, 1L, 1L));

    // Planted: the resumed process sends A, whose answer was in the ledger at the kill.
    List<RequestRecord> planted = new java.util.ArrayList<>(sound);
    planted.add(chat(A, -200, 50, 200));
    CrashBenchmark.Kill bad = CrashBenchmark.kill(1, 2, planted, 0, 3, 3, 6, KILL, Set.of(A));
    assertThat(bad.resentFromLedger(), is(1L));
    assertThat(bad.problems(), hasSize(2));
    assertThat(bad.problems().get(0), containsString("1 requests that were in the ledger were sent again"));
  }

  @Test
  void killPointsAreSpreadOverTheRunAndIncreasing() {
    long[] points = CrashBenchmark.killPoints(20261206L, 100_000, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(points[i], greaterThan(100_000L * i / 3 + 3_000));
      assertThat(points[i], lessThan(100_000L * (i + 1) / 3 - 3_000));
    }
  }

  @Test
  void optionsReachTheSettingsAndBadOnesAreUsageErrors() throws Exception {
    CrashBenchmark.Settings s = parse("crash").settings();
    assertThat(List.of(s.calls(), (long) s.inFlight(), (long) s.kills(), (long) s.prompts()), contains(100_000L, 4096L, 3L, 6250L));
    assertThat(s.latency(), is("uniform:500-3000"));
    assertThat(s.faults().rate429() + s.faults().rate500() + s.faults().rateTimeout() + s.faults().rateReset(), closeTo(0.10, 1e-12));
    assertThat(s.timeoutHoldMs(), greaterThan(s.readTimeoutMs()));
    assertThat(s.readTimeoutMs(), greaterThan(3000L));
    Assertions.assertThrows(UsageException.class, () -> parse("crash", "--timeout-hold-ms", "3000").settings());
    Assertions.assertThrows(UsageException.class, () -> parse("crash", "--latency", "gauss:1").settings());
    Assertions.assertThrows(UsageException.class, () -> parse("crash", "--xmx", "lots").settings());
    assertThat(s.faults().rateMalformed(), is(0.0));
  }

  private static BenchCommand.Crash parse(String... args) {
    return (BenchCommand.Crash) new CommandLine(new BenchCommand()).parseArgs(args).subcommand().commandSpec().userObject();
  }
}
