package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.assay.io.Hashing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench cpu} at a tiny size: the pipeline publishes the same files as the loop. Nothing here is timed. Flink
 * is left out to keep this fast (its start-up alone is ~10-20 s on a busy 2-core machine); the command cross-checks
 * it whenever it runs.
 */
class CpuBenchmarkTest {
  @Test
  void everyModePublishesTheSameFilesAsTheLoop(@TempDir Path work) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    CpuBenchmark.Report report =
        new CpuBenchmark(new CpuBenchmark.Settings(List.of(2000L), List.of("loop", "direct"), "1g", work, 42, 600, 16),
                new PrintStream(progress, true, StandardCharsets.UTF_8))
            .run();

    assertThat(progress.toString(StandardCharsets.UTF_8), report.problems(), is(empty()));
    // Surefire's JVM has neither the launcher's archive nor its collector, so neither have the children, and the report says so.
    assertThat(progress.toString(StandardCharsets.UTF_8),
        containsString("jvm: every mode runs with -Xmx1g, the JVM's default collector and no class-data archive"));
    assertThat(report.passed(), is(true));
    assertThat(report.rows(), hasSize(2));
    for (CpuBenchmark.Row r : report.rows()) {
      assertThat(r.mode(), r.status(), is("ok"));
      assertThat(r.judgments(), is(2016L)); // rounded up to whole prompts of 24 judgments
      assertThat(r.check(), is(r.mode().equals("loop") ? "ref" : "same"));
      // The data makes every kind of outcome, so equal hashes compare something.
      assertThat(r.outcome().count("pairs/pairs.jsonl"), greaterThan(0L));
      assertThat(r.outcome().count("rejected/pairs.jsonl"), greaterThan(0L));
      assertThat(r.outcome().count("rejected/consensus.jsonl"), greaterThan(0L));
      assertThat(r.outcome().count("rejected/consistency.jsonl"), greaterThan(0L));
      assertThat(r.outcome().count("sft/sft.jsonl"), greaterThan(0L));
      assertThat(r.outcome().count("rewards/rewards.jsonl"), is(84L * 4 * 3));
    }
    String table = CpuBenchmark.format(report.rows());
    assertThat(table, containsString("peak_rss_mb"));
    assertThat(table, containsString("x_loop"));
    assertThat(table, containsString("cpu_x"));
    assertThat(table.lines().count(), is(3L));
    assertThat(table.lines().filter(l -> l.startsWith("direct")).allMatch(l -> l.contains(" same ")), is(true));
  }

  @Test
  void aDifferentFileFailsTheCrossCheck() {
    RunOutcome loop = outcome("loop", "aaa");
    RunOutcome direct = outcome("direct", "bbb");
    List<String> problems = new ArrayList<>();
    List<CpuBenchmark.Row> rows =
        CpuBenchmark.crossCheck(
            List.of(new CpuBenchmark.Row("loop", 10, 1, 1, 0, "ok", "-", loop), new CpuBenchmark.Row("direct", 10, 1, 1, 0, "ok", "-", direct),
                new CpuBenchmark.Row("flink", 10, 1, 1, 0, "oom", "-", null)),
            problems);
    assertThat(rows.get(0).check(), is("ref"));
    assertThat(rows.get(1).check(), is("DIFF"));
    assertThat(rows.get(2).check(), is("-"));
    assertThat(problems, hasSize(2));
    assertThat(problems.get(0), containsString("pairs/pairs.jsonl"));
    assertThat(problems.get(1), containsString("oom"));
    assertThat(new CpuBenchmark.Report(rows, problems).passed(), is(false));
  }

  /** Each round's ratios are to the loop of the same round; the summary takes medians over the rounds. */
  @Test
  void repeatedRoundsCompareWithinARoundAndSummariseByMedian() {
    List<CpuBenchmark.Row> rows = List.of(
        row("loop", 1, 10.0, 20.0), row("flink", 1, 21.0, 42.0),
        row("loop", 2, 12.0, 21.0), row("flink", 2, 18.0, 38.0),
        row("loop", 3, 11.0, 19.0), row("flink", 3, 0, 0));
    String table = CpuBenchmark.format(rows);
    assertThat(table.lines().findFirst().orElseThrow(), containsString(" round "));
    // Round 2: 18 / 12 = 1.50, not 18 / 11 (round 3's loop) or 18 / 10.
    assertThat(table.lines().filter(l -> l.startsWith("flink") && l.contains(" 18.00 ")).findFirst().orElseThrow(), containsString(" 1.50 "));

    String summary = CpuBenchmark.summary(rows);
    String loop = summary.lines().filter(l -> l.startsWith("loop")).findFirst().orElseThrow();
    String flink = summary.lines().filter(l -> l.startsWith("flink")).findFirst().orElseThrow();
    assertThat(loop, containsString(" 11.00 ")); // median of 10, 12, 11
    assertThat(loop, containsString(" 1.00 "));
    assertThat(flink, containsString(" 2/3 ")); // round 3 did not finish
    assertThat(flink, containsString(" 19.50 ")); // median of 21 and 18
    assertThat(flink, containsString(" 1.80 ")); // median of 2.10 and 1.50
    assertThat(flink, containsString(" 1.50-2.10 "));
  }

  @Test
  void oneRoundHasNoRoundColumnAndNoSummary() {
    List<CpuBenchmark.Row> rows = List.of(row("loop", 1, 10.0, 20.0), row("flink", 1, 21.0, 42.0));
    assertThat(CpuBenchmark.format(rows).lines().findFirst().orElseThrow(), not(containsString("round")));
    assertThat(CpuBenchmark.summary(rows), is(""));
    assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new CpuBenchmark.Settings(List.of(10L), List.of("loop"), "1g", null, 1, 60, 0, 0)).getMessage(), containsString("--repeat"));
  }

  private static CpuBenchmark.Row row(String mode, int round, double wall, double cpu) {
    if (wall == 0) {
      return new CpuBenchmark.Row(mode, 1000, round, 1, 0, "oom", "-", null);
    }
    RunOutcome o = new RunOutcome(mode, 1000, wall, cpu, 500, Map.of("pairs/pairs.jsonl", "h"), Map.of("pairs/pairs.jsonl", 3L), 0.5);
    return new CpuBenchmark.Row(mode, 1000, round, wall + 0.5, 0, "ok", "-", o);
  }

  @Test
  void everyModeGetsTheLaunchersClassDataAndCollectorOptionsAndNoOthers() {
    List<String> launcher =
        List.of("-XX:SharedArchiveFile=/p/target/assay.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Dassay.home=/p", "-Xmx4g",
            "-XX:+UseParallelGC", "-Xshare:auto", "-agentlib:jdwp=transport=dt_socket");
    assertThat(CpuBenchmark.launcherOptions(launcher),
        is(List.of("-XX:SharedArchiveFile=/p/target/assay.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:+UseParallelGC", "-Xshare:auto")));
    assertThat(CpuBenchmark.launcherOptions(List.of("-Xmx2g", "-Dassay.home=/p", "-XX:+UseStringDeduplication", "-XX:-UseG1GC")), is(empty()));
    assertThat(CpuBenchmark.launcherOptions(List.of("-XX:+UseG1GC")), is(List.of("-XX:+UseG1GC")));
  }

  @Test
  void theSyntheticDataIsTheSameBytesForTheSameSeed(@TempDir Path dir) {
    SyntheticJudgments shape = SyntheticJudgments.ofAtLeast(500, 7);
    shape.write(dir.resolve("a"));
    shape.write(dir.resolve("b"));
    for (String f : List.of(BenchRecipe.JUDGMENTS, BenchRecipe.CANDIDATES, BenchRecipe.PREVIOUS_REWARDS)) {
      assertThat(f, Hashing.sha256(dir.resolve("a").resolve(f)), is(Hashing.sha256(dir.resolve("b").resolve(f))));
    }
    SyntheticJudgments.ofAtLeast(500, 8).write(dir.resolve("c"));
    assertThat(Hashing.sha256(dir.resolve("c").resolve(BenchRecipe.JUDGMENTS)), is(not(Hashing.sha256(dir.resolve("a").resolve(BenchRecipe.JUDGMENTS)))));
  }

  private static RunOutcome outcome(String mode, String pairsHash) {
    return new RunOutcome(mode, 10, 1.0, 1.0, 100, Map.of("pairs/pairs.jsonl", pairsHash), Map.of("pairs/pairs.jsonl", 3L), 0.5);
  }
}
