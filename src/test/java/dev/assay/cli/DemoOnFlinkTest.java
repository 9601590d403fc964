package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.RunComparison;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo (the self-rewarding recipe on the simulator) on embedded Flink ({@code --runner flink}, two task slots)
 * publishes what the direct runner publishes, every stage of the accounting (each counted from what it published,
 * {@code RunAccounting}) balances and equals the direct runner's, and a resume on Flink sends nothing and writes the
 * same bytes again. 10 prompts: each Flink start (3-10 s) is then the larger share of the time.
 */
class DemoOnFlinkTest {
  /** Small enough for CI; the demo's three endpoints and five filters all still see work. */
  static final List<String> SMALL = List.of("input.limit=10");

  @TempDir Path tmp;

  /** Runs the demo and returns its console output, failing the test on a non-zero exit. */
  static String demo(Path out, boolean resume, SimulatorConfig sim, RunnerChoice runner, List<String> sets) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = DemoCommand.runDemo(out, resume, sets, sim, console, 1, false, runner, false);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(text, code, is(0));
    return text;
  }

  static long sum(JsonNode manifest, String field) {
    long total = 0;
    for (JsonNode endpoint : manifest.path("usage")) {
      total += endpoint.path(field).asLong();
    }
    return total;
  }

  @Test
  void flinkPublishesWhatTheDirectRunnerPublishesAndResumesForFree() throws Exception {
    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    demo(direct, false, SimulatorConfig.defaults(), RunnerChoice.direct(), SMALL);

    RunnerChoice embedded = new RunnerChoice(RunnerChoice.Kind.FLINK, RunnerChoice.LOCAL, 2);
    String first = demo(flink, false, SimulatorConfig.defaults(), embedded, SMALL);
    assertThat(first, not(containsString("UNBALANCED")));
    assertThat(RunComparison.assertEveryStageBalances(flink), greaterThan(5));
    // Stage by stage, so a count that drifts names its stage: every judge and every voter has a line.
    assertThat(
        RunComparison.assertSameStageCounts(direct, flink),
        containsInAnyOrder(
            "generate", "judge.self", "judge.previous", "judge.pairwise", "reward.judge-self", "reward.pairwise-self",
            "reward.implicit", "consistency", "consensus", "pairs", "anchor.self"));
    JsonNode m1 = RunComparison.manifest(flink);
    assertThat(m1.path("versions").path("runner").asText(), is("FlinkRunner [local] x2"));
    long sent = sum(m1, "requests");
    assertThat(sent, greaterThan(0L));
    assertThat(first, containsString("simulator served " + sent + " HTTP requests"));
    RunComparison.assertSamePublishedOutputs(direct, flink);

    List<String> ledgerBefore = RunComparison.ledgerLines(flink);
    String second = demo(flink, true, SimulatorConfig.defaults(), embedded, SMALL);
    assertThat(second, containsString("simulator served 0 HTTP requests"));
    JsonNode m2 = RunComparison.manifest(flink);
    assertThat(sum(m2, "requests"), is(0L));
    // Every call of the first run, sent then or already answered by the ledger then (the anchor set's), is a hit.
    assertThat("every call replayed from the ledger", sum(m2, "ledger_hits"), is(sent + sum(m1, "ledger_hits")));
    assertThat(m2.path("status").asText(), is("complete"));
    assertThat("a replay records nothing new", RunComparison.ledgerLines(flink), equalTo(ledgerBefore));
    RunComparison.assertEveryStageBalances(flink);
    RunComparison.assertSamePublishedOutputs(direct, flink, false);
  }
}
