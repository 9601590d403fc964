package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.pipeline.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option parsing of {@code bench io} and {@code bench cpu}; nothing here is timed or starts a simulator. */
class BenchCommandTest {
  private static BenchCommand.Io parse(String... args) {
    CommandLine cl = new CommandLine(new BenchCommand());
    CommandLine.ParseResult r = cl.parseArgs(args);
    return (BenchCommand.Io) r.subcommand().commandSpec().userObject();
  }

  @Test
  void defaultsAreFiftyMillisecondsAtSixtyFourAndTwoHundredFiftySix() {
    IoBenchmark.Settings s = parse("io").settings();
    assertThat(s.latencyMs(), is(50L));
    assertThat(s.concurrencies(), is(List.of(64, 256)));
    assertThat(s.requests(), nullValue());
    assertThat(s.python(), nullValue());
    assertThat(s.warmup(), is(2000));
    assertThat(s.maxRetries(), nullValue());
  }

  @Test
  void optionsReachTheSettings() {
    IoBenchmark.Settings s =
        parse("io", "--latency-ms", "20", "--concurrency", "8,16", "--requests", "400", "--warmup", "0",
                "--python", "/usr/bin/python3", "--python-requests", "100", "--max-retries", "0")
            .settings();
    assertThat(s.latencyMs(), is(20L));
    assertThat(s.concurrencies(), is(List.of(8, 16)));
    assertThat(s.requestsFor(8), is(400));
    assertThat(s.pythonRequestsFor(8), is(100));
    assertThat(s.python(), is(Path.of("/usr/bin/python3")));
    assertThat(s.maxRetries(), is(0));
  }

  @Test
  void badValuesAreUsageErrors() {
    Assertions.assertThrows(UsageException.class, () -> parse("io", "--concurrency", "0").settings());
    Assertions.assertThrows(UsageException.class, () -> parse("io", "--latency-ms", "0").settings());
  }

  private static BenchCommand.Cpu parseCpu(String... args) {
    CommandLine cl = new CommandLine(new BenchCommand());
    return (BenchCommand.Cpu) cl.parseArgs(args).subcommand().commandSpec().userObject();
  }

  @Test
  void cpuDefaultsAreHundredThousandAndAMillionJudgmentsInEveryModeWithTwoGigabytes() {
    CpuBenchmark.Settings s = parseCpu("cpu").settings();
    assertThat(s.judgments(), is(List.of(100_000L, 1_000_000L)));
    assertThat(s.modes(), is(List.of("loop", "direct", "flink")));
    assertThat(s.xmx(), is("2g"));
    assertThat(s.work(), nullValue());
    assertThat(s.shards(), is(0));
    assertThat(parseCpu("cpu", "--shards", "2").settings().shards(), is(2));
    assertThat(s.repeat(), is(1));
    assertThat(parseCpu("cpu", "--repeat", "5").settings().repeat(), is(5));
  }

  @Test
  void cpuBadValuesAreUsageErrors() {
    Assertions.assertThrows(UsageException.class, () -> parseCpu("cpu", "--modes", "spark").settings());
    Assertions.assertThrows(UsageException.class, () -> parseCpu("cpu", "--judgments", "0").settings());
    Assertions.assertThrows(UsageException.class, () -> parseCpu("cpu", "--xmx", "two").settings());
    Assertions.assertThrows(UsageException.class, () -> parseCpu("cpu", "--shards", "-1").settings());
    Assertions.assertThrows(UsageException.class, () -> parseCpu("cpu", "--repeat", "0").settings());
  }
}
