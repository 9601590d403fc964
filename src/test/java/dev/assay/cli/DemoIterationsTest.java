package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import dev.assay.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --iterations 2}: two rounds whose models, and so whose consistency figures, differ. */
class DemoIterationsTest {
  @TempDir Path tmp;

  @Test
  void threeIterationsRecordDifferentConsistencyAndAReportAcrossThem() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Path out = tmp.resolve("demo");
    int code = DemoCommand.runDemo(out, false, List.of("input.limit=12", "anchor.size=16"), SimulatorConfig.defaults(), console, 3, false);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(text, code, is(0));
    JsonNode m1 = Json.mapper().readTree(out.resolve("iter-1/manifest.json").toFile());
    JsonNode m2 = Json.mapper().readTree(out.resolve("iter-2/manifest.json").toFile());
    assertThat(m1.path("usage").path("judge").path("model").asText(), is("sim-m1"));
    assertThat(m2.path("usage").path("judge").path("model").asText(), is("sim-m2"));
    assertThat(m2.path("usage").path("previous").path("model").asText(), is("sim-m1"));
    assertThat(m2.path("iteration").asInt(), is(2));
    double c1 = m1.path("consistency").path("consistency").asDouble();
    double c2 = m2.path("consistency").path("consistency").asDouble();
    assertThat(text, c1, not(is(c2)));
    assertThat(text, containsString("iterations:"));
    assertThat(text, containsString("  iter-1: C = "));
    assertThat(text, containsString("  iter-2: C = "));
    JsonNode m3 = Json.mapper().readTree(out.resolve("iter-3/manifest.json").toFile());
    assertThat(m3.path("usage").path("judge").path("model").asText(), is("sim-m3"));
    double c3 = m3.path("consistency").path("consistency").asDouble();
    assertThat(text, c3, not(is(c2)));
    for (int t = 1; t <= 3; t++) {
      assertThat(Files.exists(out.resolve("iter-" + t + "/report.html")), is(true));
    }
    String across = Files.readString(out.resolve("report.html"));
    assertThat(across, containsString("data-chart=\"consistency-by-iteration\""));
    assertThat(across, containsString("iter-3"));
    anchorSetFollowsTheJudgeOverEveryIteration(out, text, across);
  }

  /**
   * The anchor set: iteration 1's sample (whole prompts, at least 16 candidates) carried to iterations 2 and 3 and
   * judged by each iteration's judge, so the audit compares iterations 1 and 3 on it (it exits 2 on the candidates:
   * no candidate is judged in both), the report across iterations shows drift for each, and from iteration 2 on the
   * anchor judge measures the self-judge's self-preference (iteration 1's anchor set is its own outputs).
   */
  private static void anchorSetFollowsTheJudgeOverEveryIteration(Path out, String text, String across) throws Exception {
    String set = Files.readString(out.resolve("iter-1/anchor/anchor-set.jsonl"));
    assertThat(Files.readString(out.resolve("iter-3/anchor/anchor-set.jsonl")), is(set));
    long size = set.lines().count();
    assertThat(set, size >= 16 && size < 20, is(true));
    JsonNode m1 = Json.mapper().readTree(out.resolve("iter-1/manifest.json").toFile());
    JsonNode m3 = Json.mapper().readTree(out.resolve("iter-3/manifest.json").toFile());
    // The self-judge judges the set and the own sample the anchor judge judges too (those are ledger hits), 3 samples.
    long own = m3.path("anchor").path("own_sample").asLong();
    assertThat(own >= 16 && own < 20, is(true));
    assertThat(m3.path("stages").path("anchor.self").path("in").asLong(), is((size + own) * 3));
    assertThat(m3.path("stages").path("anchor.anchor").path("in").asLong(), is((size + own) * 3));
    assertThat("iteration 1's anchor requests were the main pass's own",
        m1.path("usage").path("judge").path("ledger_hits").asLong() >= size * 3, is(true));
    assertThat(m3.path("anchor").path("source").asText(), containsString("iter-2"));
    assertThat(m1.path("anchor").path("self_preference").get(0).path("note").asText(),
        containsString("no response written by another model"));
    assertThat(m3.path("anchor").path("self_preference").get(0).path("preference").isNumber(), is(true));
    assertThat(text, containsString("self-preference of judge self (sim-m3) beyond anchor judge anchor: "));

    StringWriter audit = new StringWriter();
    CommandLine cli = new CommandLine(new AuditCommand());
    cli.setOut(new PrintWriter(audit, true));
    cli.setErr(new PrintWriter(audit, true));
    int exit = cli.execute("--current", out.resolve("iter-3").toString(), "--previous", out.resolve("iter-1").toString());
    assertThat(audit.toString(), exit, is(0));
    assertThat(audit.toString(), containsString("Consistency audit on the anchor set"));
    assertThat(audit.toString(), containsString("matched   " + size + " candidates judged in both"));
    StringWriter onCandidates = new StringWriter();
    CommandLine old = new CommandLine(new AuditCommand());
    old.setOut(new PrintWriter(onCandidates, true));
    old.setErr(new PrintWriter(onCandidates, true));
    assertThat(old.execute("--current", out.resolve("iter-3").toString(), "--previous", out.resolve("iter-1").toString(),
        "--on", "candidates", "--judge", "self"), is(Main.BAD_INPUT));
    assertThat(onCandidates.toString(), containsString("no candidate was judged in both iterations"));

    assertThat(across, containsString("data-table=\"drift-by-iteration\""));
    assertThat(across, containsString("data-table=\"self-preference-by-iteration\""));
    int from = across.indexOf("data-table=\"drift-by-iteration\"");
    String drift = across.substring(from, across.indexOf("</table>", from));
    for (int t = 1; t <= 3; t++) {
      // Every iteration has a measured C against iteration 1 (a number, right-aligned), iteration 1 trivially so.
      assertThat(drift, containsString("<td>iter-" + t + "</td><td class=\"num\">"));
    }
  }

  @Test
  void moreIterationsThanSimulatedModelsIsBadUsage() {
    assertThat(Main.execute("demo", "--iterations", "4", "--out", tmp.resolve("x").toString()), is(Main.BAD_INPUT));
  }
}
