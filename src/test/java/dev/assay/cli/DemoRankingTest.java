package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import dev.assay.ranking.RankingSummary;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --iterations 2}: iteration 2 ranks its policy (sim-m2, skill 0.62) against iteration 1's (sim-m1, skill
 * 0.52) on the same 80 prompts. The simulator's later model is truly better, so it must win with a 95% interval that
 * excludes 1/2; the figures reach the console, the manifest's notes, the report, the dataset card and
 * {@code ./assay rank}, and a resume replays the ranking from the ledger.
 */
class DemoRankingTest {
  @TempDir Path tmp;

  @Test
  void theTrulyBetterPolicyWinsWithAnIntervalThatExcludesOneHalf() throws Exception {
    Path out = tmp.resolve("demo");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code = DemoCommand.runDemo(out, false, List.of(), SimulatorConfig.defaults(), new PrintStream(buf, true, StandardCharsets.UTF_8), 2, false);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(text, code, is(0));
    Path iter1 = out.resolve("iter-1");
    Path iter2 = out.resolve("iter-2");
    assertThat("the first round has no previous policy to rank against", Files.exists(iter1.resolve("ranking")), is(false));

    RankingSummary s = RankingSummary.read(new RunDirectory(iter2));
    assertThat(s.currentPolicy(), is("sim-m2"));
    assertThat(s.previousPolicy(), is("sim-m1"));
    assertThat(s.prompts(), is(80L));
    assertThat("4 response pairs x 2 seat orders x 80 prompts", s.judgments(), is(640L));
    assertThat(text, s.winRateLower(), greaterThan(0.5));
    assertThat(s.verdict(), is("better"));
    assertThat(s.strengthLower(), greaterThan(0.0));
    assertThat(s.eloCurrent(), greaterThan(s.eloPrevious()));
    assertThat(s.onlineEloCurrent(), greaterThan(s.onlineEloPrevious()));

    JsonNode manifest = Json.mapper().readTree(iter2.resolve("manifest.json").toFile());
    JsonNode stage = manifest.path("stages").path("ranking");
    assertThat(stage.path("in").asLong(), is(640L));
    assertThat(stage.path("in").asLong(), is(stage.path("out").asLong() + stage.path("rejected").asLong() + stage.path("failed").asLong()));
    assertThat(manifest.path("notes").toString(), containsString("ranking: sim-m2 against sim-m1"));
    assertThat(text, containsString("P(beats iter-1) = "));
    assertThat(Files.readString(iter2.resolve("report.html")), containsString("Ranking against the previous iteration"));
    assertThat(Files.readString(out.resolve("report.html")), containsString("P(beats previous)"));
    assertThat(Main.execute("export", iter2.toString(), "--format", "trl"), is(Main.OK));
    String card = Files.readString(iter2.resolve("export/README.md"));
    assertThat(card, containsString("## Policy ranking"));
    assertThat(card, containsString("| verdict | better |"));

    CliRun rank = CliRun.rank(iter2.toString(), iter1.toString());
    assertThat(rank.err(), rank.exit(), is(Main.OK));
    assertThat(rank.out(), containsString("verdict: better"));
    JsonNode json = CliRun.rank(iter2.toString(), iter1.toString(), "--json").json();
    assertThat(json.path("win_rate_lower").asDouble(), is(s.winRateLower()));
    CliRun other = CliRun.rank(iter2.toString(), iter1.toString(), "--replicates", "500", "--seed", "7", "--json");
    assertThat(other.json().path("win_rate").asDouble(), is(s.winRate()));
    assertThat(other.json().path("replicates").asInt(), is(500));
    assertThat(CliRun.rank(iter2.toString(), iter1.toString(), "--min-win-probability", "0.99").exit(), is(Main.GATE_FAILED));
    CliRun wrongPrevious = CliRun.rank(iter2.toString(), iter2.toString());
    assertThat(wrongPrevious.exit(), is(Main.BAD_INPUT));
    assertThat(wrongPrevious.err(), containsString("was ranked against"));
    assertThat(CliRun.rank(iter1.toString(), out.resolve("iter-0").toString()).err(), containsString("has no ranking step"));

    // Through the ledger: a resumed demo sends nothing again and rewrites the ranking byte for byte.
    byte[] judgments = Files.readAllBytes(iter2.resolve("ranking/judgments.jsonl"));
    byte[] summary = Files.readAllBytes(iter2.resolve("ranking/summary.json"));
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    assertThat(DemoCommand.runDemo(out, true, List.of(), SimulatorConfig.defaults(), new PrintStream(again, true, StandardCharsets.UTF_8), 2, false), is(0));
    JsonNode resumed = Json.mapper().readTree(iter2.resolve("manifest.json").toFile());
    assertThat(resumed.path("usage").path("judge").path("requests").asLong(), is(0L));
    assertThat(Files.readAllBytes(iter2.resolve("ranking/judgments.jsonl")), is(judgments));
    assertThat(Files.readAllBytes(iter2.resolve("ranking/summary.json")), is(summary));
    assertThat(again.toString(StandardCharsets.UTF_8), not(containsString("ranking: skipped")));

    // Any two runs, by calling the judge (rank --recipe): iteration 2 against 1 with the round's own judge reproduces
    // the round's ranking exactly; the other way round, the wins are the round's losses; a second call is free.
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      String[] recipe = {
        "--recipe", "pipelines/demo.yaml", "--set", "endpoints.judge.base_url=" + sim.baseUrl(), "--set", "endpoints.judge.model=sim-m2",
        "--judge", "pairwise", "--json"};
      CliRun forward = CliRun.rank(concat(new String[] {iter2.toString(), iter1.toString()}, recipe));
      assertThat(forward.err(), forward.exit(), is(Main.OK));
      RankingSummary called = RankingSummary.read(new RunDirectory(iter2.resolve("compare/iter-1")));
      assertThat(List.of(called.wins(), called.losses(), called.ties(), called.ok()), is(List.of(s.wins(), s.losses(), s.ties(), s.ok())));
      assertThat(called.winRate(), is(s.winRate()));
      assertThat(called.winRateLower(), is(s.winRateLower()));
      assertThat(forward.json().path("win_rate").asDouble(), is(s.winRate()));
      long served = sim.servedCount();
      assertThat("640 judge requests", served, is(640L));
      assertThat(CliRun.rank(concat(new String[] {iter2.toString(), iter1.toString()}, recipe)).exit(), is(Main.OK));
      assertThat("the second call is answered by its ledger", sim.servedCount(), is(served));

      CliRun backward = CliRun.rank(concat(new String[] {iter1.toString(), iter2.toString()}, recipe));
      assertThat(backward.err(), backward.exit(), is(Main.OK));
      assertThat(backward.json().path("current_policy").asText(), is("sim-m1"));
      assertThat(backward.json().path("wins").asLong(), greaterThan(0L));
      assertThat(backward.json().path("win_rate_upper").asDouble(), lessThan(0.5));
      assertThat(Files.isDirectory(iter1.resolve("compare/iter-2/ledger")), is(true));
    }
    CliRun noRecipe = CliRun.rank(iter2.toString(), iter1.toString(), "--judge", "pairwise");
    assertThat(noRecipe.exit(), is(Main.BAD_INPUT));
    assertThat(noRecipe.err(), containsString("go with --recipe"));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
