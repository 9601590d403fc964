package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.assay.sim.Latency;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.ChildJvm;
import dev.assay.testing.MetaJudgeRecipe;
import dev.assay.testing.RunComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A self-rationalization run with an LLM meta-judge runs three pipelines (main, meta-judge, pair building), each
 * replaying from the ledger on a resume. This kills the run's JVM with SIGKILL at a seeded point inside the meta-judge
 * pass, after the main pass has published and the meta-judge's requests are being answered, resumes it, and checks
 * that no request completed before the kill is sent again and that every published file equals an uninterrupted
 * run's (run ids and times masked, {@link RunComparison}).
 *
 * <p>The kill point is a ledger size: the main pass's requests are all in the ledger before the meta-judge's first
 * one, so a size above the main pass's count is a point inside the meta-judge pass.
 */
@Timeout(180)
class CrashDuringMetaJudgeTest {
  static final long SEED = 20261129L;
  private static final List<String> CHILD_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final int MAIN_PASS = MetaJudgeRecipe.MAIN_PASS_CALLS;

  @TempDir Path tmp;

  @Test
  void killedInsideTheMetaJudgePassAndResumedEqualsAnUninterruptedRun() throws Exception {
    Path recipe = MetaJudgeRecipe.write(tmp, "rat-meta-crash");
    // A little latency so the meta-judge pass is slower than the 5 ms poll that decides when to kill.
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withLatency(Latency.parse("fixed:15")))) {
      String[] sets = {
        "endpoints.policy.base_url=" + sim.baseUrl(), "endpoints.judge.base_url=" + sim.baseUrl(), "endpoints.judge.max_in_flight=3"
      };

      Path reference = tmp.resolve("reference");
      Cli.Result uninterrupted = Cli.run(Cli.runArgs(recipe, reference, false, sets));
      assertThat(uninterrupted.toString(), uninterrupted.exit(), is(0));
      Set<String> referenceBodies = CrashProbe.ledgerBodies(reference.resolve("ledger"));
      int total = referenceBodies.size();
      int meta = total - MAIN_PASS;
      assertThat("the meta-judge grades the ok judgments", meta, greaterThan(10));

      Path crashed = tmp.resolve("crashed");
      Path ledger = crashed.resolve("ledger");
      long point = MAIN_PASS + 3 + new Random(SEED).nextInt(meta - 6);
      int from = sim.requestLog().size();
      Path log = tmp.resolve("child.log");
      Process child = ChildJvm.start(tmp, log, CHILD_JVM, Map.of(), Cli.runArgs(recipe, crashed, false, sets));
      CrashProbe.killAt(child, ledger, point, log);
      Set<String> doneBeforeKill = CrashProbe.ledgerBodies(ledger);
      long metaDone = doneBeforeKill.size() - MAIN_PASS;
      assertThat("the kill came inside the meta-judge pass", metaDone, greaterThan(0L));
      assertThat("the kill came inside the meta-judge pass", metaDone, lessThan((long) meta));
      assertThat("the main pass had published before the meta-judge began", Files.exists(crashed.resolve("judgments/judgments.jsonl")), is(true));

      CrashProbe.resumeSendingNothingTwice(sim, Cli.runArgs(recipe, crashed, true, sets), doneBeforeKill);
      assertThat(CrashProbe.ledgerBodies(ledger), equalTo(referenceBodies));
      assertThat("every request was answered across the two runs", CrashProbe.servedOk(sim.requestLog(), from).size(), is(total));

      RunComparison.assertSamePublishedOutputs(reference, crashed, false);
      RunComparison.assertEveryStageBalances(crashed);
      System.out.printf(
          "RELIABILITY crash in the meta-judge pass: %d calls (%d main, %d meta-judge); killed at ledger size %d (seed %d),"
              + " %d meta-judge answers done; resumed: 0 completed requests sent again, outputs identical: yes%n",
          total, MAIN_PASS, meta, point, SEED, metaDone);
    }
  }
}
