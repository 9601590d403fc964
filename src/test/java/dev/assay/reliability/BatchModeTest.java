package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.assay.sim.SimBatches;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.ChildJvm;
import dev.assay.testing.RunComparison;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's batch mode on the simulator's Batch API: every endpoint of the demo recipe in {@code mode: batch}, the
 * simulator's batches ending with shuffled output, a share of lines failed with a retryable 500 and the first batch
 * expired. The run publishes what the same recipe publishes online; killed with SIGKILL while a batch is being polled
 * and resumed, it creates no batch twice (the simulator counts creations by input content) and still publishes the
 * same files.
 */
@Timeout(300)
class BatchModeTest {
  private static final Path RECIPE = Path.of("pipelines", "demo.yaml").toAbsolutePath();

  @TempDir Path tmp;

  private static String[] sets(Simulator sim, long pollMs) {
    List<String> s = new ArrayList<>(List.of("input.limit=12"));
    for (String e : List.of("policy", "judge", "previous")) {
      s.add("endpoints." + e + ".base_url=" + sim.baseUrl());
    }
    return s.toArray(String[]::new);
  }

  private static String[] batchSets(Simulator sim, long pollMs) {
    List<String> s = new ArrayList<>(List.of(sets(sim, pollMs)));
    for (String e : List.of("policy", "judge", "previous")) {
      s.add("endpoints." + e + ".mode=batch");
      s.add("endpoints." + e + ".batch.idle_ms=150");
      s.add("endpoints." + e + ".batch.poll_ms=" + pollMs);
      s.add("endpoints." + e + ".batch.max_poll_ms=" + 4 * pollMs);
      s.add("endpoints." + e + ".initial_backoff_ms=10");
    }
    return s.toArray(String[]::new);
  }

  @Test
  void batchModePublishesWhatOnlineModePublishes() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      sim.batches().behave(new SimBatches.Behaviour(300, 0.1, 1, 16));
      Path online = tmp.resolve("online");
      Cli.Result live = Cli.run(Cli.runArgs(RECIPE, online, false, sets(sim, 50)));
      assertThat(live.toString(), live.exit(), is(0));

      long chatBefore = sim.servedCount("/v1/chat/completions");
      Path batched = tmp.resolve("batched");
      Cli.Result run = Cli.run(Cli.runArgs(RECIPE, batched, false, batchSets(sim, 50)));
      assertThat(run.toString(), run.exit(), is(0));
      assertThat("no chat request went online", sim.servedCount("/v1/chat/completions") - chatBefore, is(0L));
      assertThat(sim.batches().created(), greaterThan(2));
      assertThat("no batch was created twice", sim.batches().linesSubmittedTwice(), is(0));
      assertThat(
          "failures", Files.readString(batched.resolve("failures/failures.jsonl")), is(Files.readString(online.resolve("failures/failures.jsonl"))));
      RunComparison.assertSameData(online, batched, List.of("batch/"));
    }
  }

  @Test
  void aBatchPastTheBudgetCapIsNotSubmittedAndTheRunStopsAsALiveRunDoes() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      sim.batches().behave(new SimBatches.Behaviour(100, 0.0, 0, 18));
      List<String> capped = new ArrayList<>(List.of(batchSets(sim, 50)));
      // Generation in batches of 8 lines, each estimated at about 8 x (a short prompt / 4 + max_tokens 512), 4,100-4,800
      // tokens: a cap of 10,000 lets two batches through and refuses the third, midway through the 48 generations.
      capped.add("endpoints.policy.batch.max_requests=8");
      capped.add("endpoints.policy.budget_tokens=10000");
      Path run = tmp.resolve("capped");
      Cli.Result stopped = Cli.run(Cli.runArgs(RECIPE, run, false, capped.toArray(String[]::new)));
      assertThat(stopped.toString(), stopped.exit(), is(1));
      assertThat(stopped.out(), containsString("stopped at the budget cap"));
      assertThat(RunComparison.manifest(run).path("status").asText(), is("budget_exhausted"));
      List<String> refused = new ArrayList<>();
      for (String line : Files.readAllLines(run.resolve("failures/failures.jsonl"), StandardCharsets.UTF_8)) {
        assertThat(line, containsString("\"error_class\":\"BudgetExceededException\""));
        assertThat(line, containsString("\"attempts\":0"));
        refused.add(line);
      }
      assertThat("generations were refused", refused.size(), greaterThan(0));
      assertThat(refused.stream().anyMatch(f -> f.contains("was not submitted")), is(true));
      long created = Files.readAllLines(run.resolve("batch/online/policy/journal.jsonl"), StandardCharsets.UTF_8).stream()
          .filter(l -> l.contains("\"created\"")).count();
      assertThat("the batches within the cap were created, and no more", created, is(2L));
      assertThat(Files.readAllLines(run.resolve("candidates/candidates.jsonl")).size() + refused.size(), is(48));
    }
  }

  @Test
  void killedWhilePollingThenResumedCreatesNoBatchTwice() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      sim.batches().behave(new SimBatches.Behaviour(1500, 0.1, 1, 17));
      Path online = tmp.resolve("online");
      Cli.Result live = Cli.run(Cli.runArgs(RECIPE, online, false, sets(sim, 100)));
      assertThat(live.toString(), live.exit(), is(0));

      Path crashed = tmp.resolve("crashed");
      Path log = tmp.resolve("child.log");
      Process child =
          ChildJvm.start(tmp, log, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Map.of("ASSAY_SIM_URL", sim.baseUrl()),
              Cli.runArgs(RECIPE, crashed, false, batchSets(sim, 100)));
      Path journal = crashed.resolve("batch/online/policy/journal.jsonl");
      long deadline = System.currentTimeMillis() + 120_000;
      while (!(Files.exists(journal) && Files.readString(journal, StandardCharsets.UTF_8).contains("\"created\""))) {
        assertThat("the child is still running (log: " + log + ")", child.isAlive(), is(true));
        assertThat("a batch was created within 2 minutes", System.currentTimeMillis() < deadline, is(true));
        Thread.sleep(5);
      }
      child.destroyForcibly().waitFor(); // SIGKILL while the batch is polled (it runs 1.5 s)
      int createdBeforeResume = sim.batches().created();
      assertThat(Files.readString(journal, StandardCharsets.UTF_8), containsString("\"created\""));

      Cli.Result resumed = Cli.run(Cli.runArgs(RECIPE, crashed, true, batchSets(sim, 100)));
      assertThat(resumed.toString(), resumed.exit(), is(0));
      assertThat("batches were created before the kill", createdBeforeResume, greaterThan(0));
      assertThat("no batch was created twice across the kill", sim.batches().linesSubmittedTwice(), is(0));
      RunComparison.assertSameData(online, crashed, List.of("batch/"));
    }
  }
}
