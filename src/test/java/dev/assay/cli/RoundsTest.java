package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --iteration T} on the simulator: layout, previous discovery, refusal and resume, gates. */
class RoundsTest {
  private static Simulator sim;
  @TempDir Path tmp;

  @BeforeAll
  static void startSimulator() throws Exception {
    sim = Simulator.start(SimulatorConfig.defaults());
  }

  @AfterAll
  static void stopSimulator() {
    sim.close();
  }

  record Out(int exit, String out, String err) {}

  /** The demo recipe on 10 prompts, aimed at this test's simulator, with {@code extra} arguments. */
  private static Out run(Path series, int t, String... extra) {
    List<String> a = new ArrayList<>(List.of("run", ProjectHome.resolve(DemoCommand.RECIPE).toString(), "--run-dir", series.toString(),
        "--iteration", Integer.toString(t), "--no-progress", "--set", "input.limit=10"));
    for (String ep : List.of("policy", "judge", "previous")) {
      a.addAll(List.of("--set", "endpoints." + ep + ".base_url=" + sim.baseUrl()));
    }
    a.addAll(List.of(extra));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      System.setOut(po);
      System.setErr(pe);
      code = Main.execute(a.toArray(String[]::new));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode manifest(Path dir) throws Exception {
    return Json.mapper().readTree(dir.resolve("manifest.json").toFile());
  }

  @Test
  void iterationsLiveInTheirFoldersFindThePreviousAndRefuseToOverwrite() throws Exception {
    Path series = tmp.resolve("series");
    Out first = run(series, 1);
    assertThat(first.toString(), first.exit(), is(0));
    JsonNode m1 = manifest(series.resolve("iter-1"));
    assertThat(m1.path("iteration").asInt(), is(1));
    assertThat(m1.hasNonNull("previous_iteration"), is(false));
    assertThat(Files.readString(series.resolve("iter-1/pairs/pairs.jsonl")), containsString("\"iteration\":1"));

    Out second = run(series, 2);
    assertThat(second.toString(), second.exit(), is(0));
    JsonNode m2 = manifest(series.resolve("iter-2"));
    assertThat(m2.path("iteration").asInt(), is(2));
    assertThat(m2.path("previous_iteration").asText(), is(series.resolve("iter-1").toAbsolutePath().normalize().toString()));
    assertThat(m2.path("notes").toString(), containsString("previous iteration: "));

    Out again = run(series, 2);
    assertThat(again.toString(), again.exit(), is(2));
    assertThat(again.err(), containsString("holds a finished run"));

    Out resumed = run(series, 2, "--resume");
    assertThat(resumed.toString(), resumed.exit(), is(0));
    assertThat(manifest(series.resolve("iter-2")).path("usage").path("judge").path("requests").asLong(), is(0L));

    Out overwritten = run(series, 2, "--overwrite");
    assertThat(overwritten.toString(), overwritten.exit(), is(0));
  }

  @Test
  void gatesPassOrFailTheRunWithWhichGateAndByHowMuch() throws Exception {
    Path series = tmp.resolve("gated");
    Out pass = run(series, 1, "--set", "gates.min_consistency=0.0", "--set", "gates.min_parse_rate=0.0",
        "--set", "gates.max_flip_rate=1.0", "--set", "gates.min_pairs=0");
    assertThat(pass.toString(), pass.exit(), is(0));
    assertThat(pass.out(), containsString("gate min_consistency passed: C = "));
    assertThat(pass.out(), containsString("gate min_parse_rate passed: judge self parse rate = "));
    assertThat(pass.out(), containsString("gate max_flip_rate passed: judge pairwise flip rate = "));
    assertThat(pass.out(), containsString("gate min_pairs passed: pairs = "));
    JsonNode mp = manifest(series.resolve("iter-1"));
    assertThat(mp.path("status").asText(), is("complete"));
    // The recipe's four gates, parse rate per judge (self, previous, pairwise), then the default failure-rate gate
    // once per stage that had input.
    List<String> set = new java.util.ArrayList<>();
    long failureRate = 0;
    for (JsonNode g : mp.path("gates")) {
      if (g.path("gate").asText().equals("max_failure_rate")) {
        failureRate++;
      } else {
        set.add(g.path("gate").asText());
      }
    }
    assertThat(set.size(), is(6));
    assertThat(failureRate, is((long) mp.path("stages").size()));
    assertThat("a default gate that held is not printed", pass.out(), not(containsString("max_failure_rate")));

    // Same requests, so the ledger answers them; only the gates differ.
    Out fail = run(series, 1, "--resume", "--set", "gates.min_consistency=1.0", "--set", "gates.min_parse_rate=0.0",
        "--set", "gates.max_flip_rate=0.0", "--set", "gates.min_pairs=100000");
    assertThat(fail.toString(), fail.exit(), is(1));
    assertThat(fail.out(), containsString("gate min_consistency failed: C = "));
    assertThat(fail.out(), containsString("< 1.000 (by "));
    assertThat(fail.out(), containsString("gate min_pairs failed: pairs = "));
    assertThat(fail.out(), containsString("< 100000 (by "));
    JsonNode mf = manifest(series.resolve("iter-1"));
    assertThat(mf.path("status").asText(), is("gate_failed"));
    assertThat(mf.path("gates").toString(), containsString("\"passed\":false"));
    assertThat(mf.path("gates").toString(), not(containsString("\"gate\":\"unknown\"")));
  }
}
