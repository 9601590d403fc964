package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.assay.bench.SmallRecipe;
import dev.assay.sim.Latency;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a run's JVM with SIGKILL ({@link Process#destroyForcibly()}) at three seeded-random points, one while
 * generation is still going and two while judging is, resumes it each time, and checks that the final outputs equal
 * an uninterrupted run's byte for byte while the simulator's log shows that no request completed before a kill was
 * sent again.
 *
 * <p>The kill points are ledger sizes: the ledger is flushed per completed request, so "n entries" is a point in
 * the run that a test can observe from outside. They are drawn from a fixed seed so a failure reproduces; change
 * {@link #SEED} to explore other points.
 */
@Timeout(120)
class CrashAtRandomPointsTest {
  static final long SEED = 20261129L;
  private static final int PROMPTS = 10;
  private static final int K = 3;
  private static final int N = 2;
  /** Child JVMs are short-lived: C1 only and serial GC start faster and compete less with the test JVM. */
  private static final List<String> CHILD_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @TempDir Path tmp;

  /** Judge requests carry the template's response block; generation requests do not. */
  private static long judgeEntries(Path ledger) throws IOException {
    return CrashProbe.ledgerLines(ledger).stream().filter(l -> l.contains("<response>")).count();
  }

  /** Three kill points: one in generation's share of the ledger, two in judging's, increasing. */
  static long[] killPoints(long seed, int generations, int total) {
    Random random = new Random(seed);
    long first = 2 + random.nextInt(generations - 4);
    long mid = generations + (total - generations) / 2;
    long second = generations + 2 + random.nextInt((int) (mid - generations - 2));
    long third = mid + 2 + random.nextInt((int) (total - mid - 4));
    return new long[] {first, second, third};
  }

  @Test
  void killedAtThreeRandomPointsAndResumedEqualsAnUninterruptedRun() throws Exception {
    // A little latency so the run is slower than the 5 ms poll that decides when to kill.
    SimulatorConfig config = SimulatorConfig.defaults().withLatency(Latency.parse("fixed:15"));
    try (Simulator sim = Simulator.start(config)) {
      SmallRecipe r = SmallRecipe.in(tmp).prompts(PROMPTS).k(K).n(N).endpoint("max_in_flight", 3);
      Path recipe = r.write(sim.baseUrl());
      int total = r.generations() + r.judgments();
      List<String> promptIds = IntStream.range(0, PROMPTS).mapToObj(i -> "q" + i).toList();

      Path reference = tmp.resolve("reference");
      Cli.Result uninterrupted = Cli.run(Cli.runArgs(recipe, reference, false));
      assertThat(uninterrupted.toString(), uninterrupted.exit(), is(0));
      Set<String> referenceBodies = CrashProbe.ledgerBodies(reference.resolve("ledger"));
      assertThat(referenceBodies.size(), is(total));

      Path crashed = tmp.resolve("crashed");
      Path ledger = crashed.resolve("ledger");
      int mark = sim.requestLog().size();
      long[] points = killPoints(SEED, r.generations(), total);
      List<String> figures = new ArrayList<>();
      for (int i = 0; i < points.length; i++) {
        Set<String> doneBefore = CrashProbe.ledgerBodies(ledger);
        int from = sim.requestLog().size();
        Path log = tmp.resolve("child" + i + ".log");
        Process child = ChildJvm.start(tmp, log, CHILD_JVM, Map.of(), Cli.runArgs(recipe, crashed, i > 0));
        CrashProbe.killAt(child, ledger, points[i], log);
        Set<String> resent = CrashProbe.servedOk(sim.requestLog(), from);
        resent.retainAll(doneBefore);
        assertThat("requests completed before kill " + i + " were not sent again", resent, is(empty()));
        long judged = judgeEntries(ledger);
        long generated = CrashProbe.ledgerBodies(ledger).size() - judged;
        if (i == 0) {
          assertThat("the first kill came during generation", generated, lessThan((long) r.generations()));
        } else {
          assertThat("later kills came during judging", judged, greaterThan(0L));
          assertThat("later kills came during judging", judged, lessThan((long) r.judgments()));
        }
        figures.add("kill " + (i + 1) + " with " + generated + " generations and " + judged + " judgments done");
      }

      Set<String> doneBeforeLast = CrashProbe.ledgerBodies(ledger);
      assertThat(doneBeforeLast.size(), greaterThan(0));
      CrashProbe.resumeSendingNothingTwice(sim, Cli.runArgs(recipe, crashed, true), doneBeforeLast);

      assertThat(CrashProbe.ledgerBodies(ledger), equalTo(referenceBodies));
      assertThat("every request was answered across the runs", CrashProbe.servedOk(sim.requestLog(), mark).size(), is(total));
      RunFiles done = RunFiles.read(crashed);
      done.assertAccountedFor(promptIds, K, N);
      RunFiles ref = RunFiles.read(reference);
      for (String out : List.of("candidates/candidates.jsonl", "judgments/judgments.jsonl", "failures/failures.jsonl")) {
        assertThat(out, done.bytes(out), equalTo(ref.bytes(out)));
      }
      long sentAfterMark = sim.requestLog().subList(mark, sim.requestLog().size()).stream()
          .filter(rec -> rec.status() == 200 && rec.path().endsWith("/chat/completions")).count();
      System.out.printf(
          "RELIABILITY crash: %d calls (%d generations, %d judgments); kill points %s (seed %d); %s; "
              + "%d answers served across 4 runs (%d answered but not yet in the ledger when killed, sent again), "
              + "0 completed requests sent again, outputs identical: yes%n",
          total, r.generations(), r.judgments(), Arrays.toString(points), SEED, String.join("; ", figures),
          sentAfterMark, sentAfterMark - total);
    }
  }
}
