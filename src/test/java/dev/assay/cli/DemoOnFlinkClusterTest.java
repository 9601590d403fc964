package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.sim.FaultPlan;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.FlinkCluster;
import dev.assay.testing.RunComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo submitted to a Flink cluster in another JVM ({@code --flink-master localhost:PORT}): the DoFns, their
 * clients and their ledger writers run in the cluster's process, the simulator and the driver in this one. What a
 * cluster needs from Assay: the FlinkRunner stages the classpath (target/classes packed as a jar: the cluster's own
 * classpath lacks Assay's classes, see {@link FlinkCluster}), the ledger is
 * written by the workers into the run directory, the manifest's usage comes from the workers' counters, and
 * nothing relies on state shared between the driver's and the workers' JVMs.
 *
 * <p>About 1.5-2 minutes on 2 shared cores (each job uploads the ~136 MB classpath to the cluster); tagged so a quick
 * local run can leave it out with {@code -DexcludedGroups=flink-cluster}. CI runs it.
 */
@Tag("flink-cluster")
class DemoOnFlinkClusterTest {
  /** Cheap retries (the demo's default backoff starts at 500 ms), and prices so the cost is not trivially 0. */
  private static final List<String> SETS = sets();

  private static List<String> sets() {
    List<String> sets = new ArrayList<>(DemoOnFlinkTest.SMALL);
    for (String e : List.of("policy", "judge", "previous")) {
      sets.add("endpoints." + e + ".initial_backoff_ms=20");
      sets.add("endpoints." + e + ".input_cost_per_million=0.5");
      sets.add("endpoints." + e + ".output_cost_per_million=2");
    }
    return List.copyOf(sets);
  }

  @TempDir Path tmp;

  private static long served(String console) {
    Matcher m = Pattern.compile("simulator served (\\d+) HTTP requests").matcher(console);
    assertThat(console, m.find(), is(true));
    return Long.parseLong(m.group(1));
  }

  /** The pids in the ledger's shard names ({@code <host>-<pid>-<uuid>.jsonl}). */
  private static List<Long> shardWriters(Path run) throws Exception {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> shards = Files.list(run.resolve("ledger"))) {
      for (Path s : shards.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        String[] parts = s.getFileName().toString().split("-");
        pids.add(Long.parseLong(parts[parts.length - 6])); // a UUID has five dash-separated groups
      }
    }
    return pids;
  }

  @Test
  void workersInAnotherJvmPublishTheDirectRunnersOutputsAndResumeForFree() throws Exception {
    Path direct = tmp.resolve("direct");
    Path remote = tmp.resolve("remote");
    DemoOnFlinkTest.demo(direct, false, SimulatorConfig.defaults(), RunnerChoice.direct(), SETS);
    try (FlinkCluster cluster = FlinkCluster.start(tmp.resolve("cluster.log"), "child-first")) {
      System.out.println("FLINK cluster JVM started in " + cluster.startMillis() + " ms");
      RunnerChoice choice = new RunnerChoice(RunnerChoice.Kind.FLINK, "localhost:" + cluster.port(), 2);
      // 5% of requests answered 500 by the simulator: the workers retry them, and only their counters can tell.
      SimulatorConfig faulty = SimulatorConfig.defaults().withFaults(FaultPlan.parse("500=0.05"));
      long t0 = System.nanoTime();
      String first = DemoOnFlinkTest.demo(remote, false, faulty, choice, SETS);
      System.out.printf("FLINK remote demo (10 prompts): %d ms%n", (System.nanoTime() - t0) / 1_000_000);

      List<Long> writers = shardWriters(remote);
      assertThat("the ledger was written by the cluster's JVM", writers, everyItem(is(cluster.pid())));
      assertThat(writers, not(hasSize(0)));
      RunComparison.assertEveryStageBalances(remote);
      JsonNode m = RunComparison.manifest(remote);
      JsonNode d = RunComparison.manifest(direct);
      assertThat(m.path("versions").path("runner").asText(), is("FlinkRunner localhost:" + cluster.port() + " x2"));
      assertThat(m.path("status").asText(), is("complete"));
      long sent = DemoOnFlinkTest.sum(m, "requests");
      long retries = DemoOnFlinkTest.sum(m, "retries");
      assertThat("the workers' retries reach the manifest", retries, greaterThan(0L));
      assertThat("every HTTP request the simulator served is a call or a retry", served(first), is(sent + retries));
      for (String endpoint : List.of("policy", "judge", "previous")) {
        JsonNode u = m.path("usage").path(endpoint);
        JsonNode du = d.path("usage").path(endpoint);
        for (String f : List.of("requests", "ledger_hits", "failures", "prompt_tokens", "completion_tokens", "estimated_cost")) {
          assertThat(endpoint + "." + f, u.path(f), equalTo(du.path(f)));
        }
        double cost = (u.path("prompt_tokens").asLong() * 0.5 + u.path("completion_tokens").asLong() * 2.0) / 1e6;
        assertThat(endpoint + " cost from the workers' token counts", u.path("estimated_cost").asDouble(), closeTo(cost, 1e-9));
        assertThat(cost, greaterThan(0.0));
      }
      // Retries aside (the direct run had no faults), the same outputs as the direct runner.
      RunComparison.assertSamePublishedOutputs(direct, remote, false);

      String second = DemoOnFlinkTest.demo(remote, true, faulty, choice, SETS);
      assertThat(second, containsString("simulator served 0 HTTP requests"));
      JsonNode m2 = RunComparison.manifest(remote);
      assertThat(DemoOnFlinkTest.sum(m2, "requests"), is(0L));
      // The first run's ledger hits (the anchor set's requests the main pass had made) are hits again.
      assertThat(DemoOnFlinkTest.sum(m2, "ledger_hits"), is(sent + DemoOnFlinkTest.sum(m, "ledger_hits")));
      RunComparison.assertSamePublishedOutputs(direct, remote, false);
    }
  }

  /**
   * With Assay's classes loaded parent-first (its jar in the cluster's {@code lib/}), the workers' statics outlive a
   * job. A second run into the same folder without {@code --resume} deletes the ledger and starts again: the workers
   * must not answer it from the deleted ledger's entries they still hold, and must record into the new one.
   */
  @Test
  void aWorkerThatOutlivesAJobNeverAnswersFromADeletedLedger() throws Exception {
    Path run = tmp.resolve("again");
    List<String> tiny = List.of("input.limit=3");
    try (FlinkCluster cluster = FlinkCluster.start(tmp.resolve("cluster.log"), "parent-first")) {
      RunnerChoice choice = new RunnerChoice(RunnerChoice.Kind.FLINK, "localhost:" + cluster.port(), 2);
      long sent = served(DemoOnFlinkTest.demo(run, false, SimulatorConfig.defaults(), choice, tiny));
      assertThat(sent, greaterThan(0L));
      List<String> ledger = RunComparison.ledgerLines(run);
      assertThat("overwritten: everything sent again", served(DemoOnFlinkTest.demo(run, false, SimulatorConfig.defaults(), choice, tiny)), is(sent));
      assertThat("and recorded in the new ledger", RunComparison.ledgerLines(run), equalTo(ledger));
    }
  }
}
