package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./assay bench sampling} at tiny scale (4 prompts, one seed): every mode runs the real recipe on the
 * simulator, and the counts it reports are the ones each mode must produce.
 */
// Four whole runs of the recipe: about two minutes on a quiet 2-core machine, far more on a loaded one.
@Timeout(1800)
class SamplingBenchmarkTest {
  private static final int PROMPTS = 4;
  private static final int CANDIDATES = PROMPTS * 4;

  @TempDir Path tmp;

  @Test
  void everyModeReportsWhatItAskedAndPaid() throws Exception {
    SamplingBenchmark.Settings settings =
        new SamplingBenchmark.Settings(PROMPTS, List.of(3L), SamplingBenchmark.MODES,
            Map.of("n_min", "2", "n_max", "5", "previous.n_min", "1"), 0.15, 0.60, tmp, "direct");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<SamplingBenchmark.Row> rows =
        new SamplingBenchmark(settings, Path.of("").toAbsolutePath(), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    Map<String, SamplingBenchmark.Row> byMode = rows.stream().collect(Collectors.toMap(SamplingBenchmark.Row::mode, Function.identity()));

    // Two absolute judges (self, previous) per candidate.
    SamplingBenchmark.Row n5 = byMode.get("n5");
    assertThat(n5.samples(), is(2L * CANDIDATES * 5));
    assertThat("one request per sample", n5.requests(), is(n5.samples()));
    SamplingBenchmark.Row n3 = byMode.get("n3");
    assertThat(n3.samples(), is(2L * CANDIDATES * 3));
    assertThat(n3.requests(), is(n3.samples()));
    SamplingBenchmark.Row adaptive = byMode.get("adaptive");
    // self from 2 samples, previous from 1 (its prefixed key wins over the unprefixed n_min).
    assertThat(adaptive.samples(), both(greaterThanOrEqualTo(CANDIDATES * 3L)).and(lessThanOrEqualTo(n5.samples())));
    String manifest = Files.readString(tmp.resolve("seed-3/adaptive/manifest.json"));
    assertThat(manifest, containsString("--set judges.0.adaptive.n_min=2 "));
    assertThat(manifest, containsString("--set judges.1.adaptive.n_min=1 "));
    List<String> truth = Files.readAllLines(tmp.resolve("seed-3/n5").resolve(SamplingBenchmark.TRUTH));
    assertThat("one hidden quality per candidate, for the offline replay", truth.size(), is(CANDIDATES));
    assertThat(adaptive.requests(), is(adaptive.samples()));
    SamplingBenchmark.Row perRequest = byMode.get("n5-per-request");
    assertThat(perRequest.samples(), is(n5.samples()));
    assertThat("one request per candidate and judge", perRequest.requests(), is(2L * CANDIDATES));
    assertThat("the prompt billed once, not five times", (double) perRequest.promptTokens(), closeTo(n5.promptTokens() / 5.0, n5.promptTokens() * 0.01));
    for (SamplingBenchmark.Row r : rows) {
      assertThat(r.mode(), r.cost(), closeTo((r.promptTokens() * 0.15 + r.completionTokens() * 0.60) / 1e6, 1e-12));
      assertThat(r.mode(), r.trulyBetter(), lessThanOrEqualTo(r.keptPairs()));
    }
    assertThat("the rounds cost less than n_max for all", adaptive.billedTokens(), lessThan(n5.billedTokens()));
    assertThat(n5.billedTokens(), greaterThan(n3.billedTokens()));

    // The offline replay that tuned the rule (bench/sampling_replay.py) must ask what the pipeline asked and keep what
    // it kept, from the n5 run alone: it re-implements the curation decisions, so a change to either shows here.
    String replay = replay(tmp.resolve("seed-3/n5"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("rule6 (\\d+) samples, .*; kept (\\d+) of n5's (\\d+) ").matcher(replay);
    assertThat(replay, m.find(), is(true));
    assertThat(replay, Long.parseLong(m.group(1)), is(adaptive.samples()));
    assertThat(replay, Long.parseLong(m.group(2)), is(adaptive.keptPairs()));
    assertThat(replay, Long.parseLong(m.group(3)), is(n5.keptPairs()));

    String table = SamplingBenchmark.format(rows, settings);
    assertThat(table, containsString("| adaptive | " + adaptive.samples() + " |"));
    assertThat(table, containsString("adaptive / n5, paired by seed: judge samples "));
    assertThat(log.toString(StandardCharsets.UTF_8), containsString("SIMULATOR"));
  }

  /** {@code python3 bench/sampling_replay.py N5 --truth} at its defaults (the benchmark's); its output. */
  private static String replay(Path n5) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("python3", "bench/sampling_replay.py", n5.toString(), "--truth").redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      String message = "python3 is not installed; install it with: sudo apt-get install -y python3";
      if (System.getenv("CI") != null) {
        throw new AssertionError(message + " (CI is set, so the replay must run)", e);
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, message);
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out, p.waitFor(), is(0));
    return out;
  }

  @Test
  void aJudgesPrefixedKeyWinsForThatJudgeAlone() {
    SamplingBenchmark.Settings settings = new SamplingBenchmark.Settings(
        4, List.of(3L), List.of("adaptive"), Map.of("n_min", "2", "z_choice", "0.5", "previous.n_min", "1"), 0.15, 0.60,
        tmp, "direct");
    SamplingBenchmark bench = new SamplingBenchmark(settings, Path.of("").toAbsolutePath(), System.out);
    assertThat(bench.adaptiveOf("self"), is(Map.of("n_min", "2", "z_choice", "0.5")));
    assertThat(bench.adaptiveOf("previous"), is(Map.of("n_min", "1", "z_choice", "0.5")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SamplingBenchmark.Settings(
        4, List.of(3L), List.of("adaptive"), Map.of("prev.n_min", "1"), 0.15, 0.60, tmp, "direct"));
    assertThat(e.getMessage(), is("--adaptive: prev.n_min names no judge (known: self, previous)"));
  }

  @Test
  void theIntervalOverSeedsIsStudentsT() {
    double[] m = SamplingBenchmark.meanAndHalfWidth(List.of(1.0, 2.0, 3.0));
    assertThat(m[0], closeTo(2.0, 1e-12));
    assertThat(m[1], closeTo(4.302652730 * 1.0 / Math.sqrt(3), 1e-8));
    // 12 seeds: t with 11 degrees of freedom (2.200985160), not the normal's 1.96; 1..12 has sd sqrt(13).
    double[] twelve = SamplingBenchmark.meanAndHalfWidth(
        java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> (double) i).toList());
    assertThat(twelve[1], closeTo(2.200985160 * Math.sqrt(13) / Math.sqrt(12), 1e-8));
  }
}
