package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.assay.io.Json;
import dev.assay.ledger.LedgerEntry;
import dev.assay.sim.RequestRecord;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a run's JVM with SIGKILL twice, mid-generation and mid-judging, resumes it, and checks the outputs equal an
 * uninterrupted run's while the simulator's log shows that no completed request was sent again.
 */
class CrashResumeTest {
  @TempDir Path tmp;

  private Path recipe() throws IOException {
    Path project = Path.of("").toAbsolutePath();
    StringBuilder prompts = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      prompts.append("{\"id\":\"c").append(i).append("\",\"prompt\":\"Describe item number ").append(i).append(" briefly.\"}\n");
    }
    Files.writeString(tmp.resolve("prompts.jsonl"), prompts);
    String yaml =
        """
        name: crash
        seed: 7
        endpoints:
          policy: {base_url: "${ASSAY_SIM_URL}", model: sim-m0, max_in_flight: 3}
          judge: {base_url: "${ASSAY_SIM_URL}", model: sim-m0, max_in_flight: 3}
        input: {path: prompts.jsonl}
        generation: {endpoint: policy, k: 3}
        judges:
          - {name: self, endpoint: judge, n: 2, template: %s, rubric: %s}
        """
            .formatted(project.resolve("configs/templates/absolute.yaml"), project.resolve("configs/rubrics/helpfulness.yaml"));
    Path recipe = tmp.resolve("crash.yaml");
    Files.writeString(recipe, yaml);
    return recipe;
  }

  private static List<String> args(Path recipe, Path dir, String url, boolean resume) {
    List<String> a = new ArrayList<>(List.of("run", recipe.toString(), "--run-dir", dir.toString(), "--set", "endpoints.policy.base_url=" + url, "--set", "endpoints.judge.base_url=" + url));
    if (resume) {
      a.add("--resume");
    }
    return a;
  }

  /** Simulator body hashes of every request recorded in the ledger folder. */
  private static Set<String> ledgerBodies(Path ledger) throws IOException {
    Set<String> out = new HashSet<>();
    if (!Files.isDirectory(ledger)) {
      return out;
    }
    try (Stream<Path> shards = Files.list(ledger)) {
      for (Path shard : shards.toList()) {
        for (String line : Files.readAllLines(shard, StandardCharsets.UTF_8)) {
          try {
            LedgerEntry e = Json.parse(line, LedgerEntry.class);
            out.add(Simulator.bodySha256(e.request().getBytes(StandardCharsets.UTF_8)));
          } catch (RuntimeException torn) {
            // the line the killed process was writing
          }
        }
      }
    }
    return out;
  }

  private static long ledgerLines(Path ledger) throws IOException {
    if (!Files.isDirectory(ledger)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> shards = Files.list(ledger)) {
      for (Path shard : shards.toList()) {
        n += Files.readAllLines(shard, StandardCharsets.UTF_8).size();
      }
    }
    return n;
  }

  private static void killAfter(Process child, Path ledger, long entries) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (ledgerLines(ledger) < entries) {
      assertThat("child ended before reaching " + entries + " ledger entries", child.isAlive(), is(true));
      assertThat("timed out waiting for the child", System.nanoTime(), lessThan(deadline));
      Thread.sleep(20);
    }
    child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no flushing
    assertThat(child.waitFor(30, TimeUnit.SECONDS), is(true));
  }

  private static Set<String> servedOk(List<RequestRecord> log, int from) {
    Set<String> out = new HashSet<>();
    for (RequestRecord r : log.subList(from, log.size())) {
      if (r.status() == 200 && r.path().endsWith("/chat/completions")) {
        out.add(r.bodySha256());
      }
    }
    return out;
  }

  @Test
  void killedTwiceThenResumedEqualsAnUninterruptedRun() throws Exception {
    Path recipe = recipe();
    SimulatorConfig config = SimulatorConfig.fromOptions(null, null, "fixed:25", null, null);
    try (Simulator sim = Simulator.start(config)) {
      String url = sim.baseUrl();
      Path reference = tmp.resolve("reference");
      assertThat(Main.execute(args(recipe, reference, url, false).toArray(String[]::new)), is(0));
      Set<String> referenceBodies = ledgerBodies(reference.resolve("ledger"));
      assertThat("ledger requests map onto the simulator's log", servedOk(sim.requestLog(), 0).containsAll(referenceBodies), is(true));
      long total = referenceBodies.size(); // 36 generations + 72 judgments
      assertThat(total, is(108L));

      Path crashed = tmp.resolve("crashed");
      Path ledger = crashed.resolve("ledger");
      int mark = sim.requestLog().size();
      Process first = ChildJvm.start(tmp, tmp.resolve("child1.log"), args(recipe, crashed, url, false));
      killAfter(first, ledger, 20); // during generation
      Set<String> doneBeforeFirstKill = ledgerBodies(ledger);
      assertThat(doneBeforeFirstKill.size(), greaterThan(0));

      int mark2 = sim.requestLog().size();
      Process second = ChildJvm.start(tmp, tmp.resolve("child2.log"), args(recipe, crashed, url, true));
      killAfter(second, ledger, 70); // during judging
      Set<String> resentAfterFirst = servedOk(sim.requestLog(), mark2);
      resentAfterFirst.retainAll(doneBeforeFirstKill);
      assertThat("completed requests were not sent again", resentAfterFirst, is(empty()));
      Set<String> doneBeforeSecondKill = ledgerBodies(ledger);

      int mark3 = sim.requestLog().size();
      assertThat(Main.execute(args(recipe, crashed, url, true).toArray(String[]::new)), is(0));
      Set<String> resentAfterSecond = servedOk(sim.requestLog(), mark3);
      resentAfterSecond.retainAll(doneBeforeSecondKill);
      assertThat("completed requests were not sent again", resentAfterSecond, is(empty()));
      assertThat(ledgerBodies(ledger), equalTo(referenceBodies));
      assertThat("every request was answered across the three runs", servedOk(sim.requestLog(), mark).size(), is((int) total));

      for (String out : List.of("candidates/candidates.jsonl", "judgments/judgments.jsonl", "failures/failures.jsonl")) {
        assertThat(out, Files.readAllBytes(crashed.resolve(out)), equalTo(Files.readAllBytes(reference.resolve(out))));
      }
    }
  }
}
