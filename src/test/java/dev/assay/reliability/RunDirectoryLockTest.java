package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import dev.assay.bench.SmallRecipe;
import dev.assay.sim.Latency;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, failure 8: two processes on one run directory. {@code ./assay demo --out D} started beside a running
 * {@code ./assay run} in D wiped D, and the resumed run paid again for every request its ledger had held.
 *
 * <p>A run directory is locked while a process uses it: a second process exits 2 naming the holder (host, pid, start
 * time) and leaves D alone; the lock of a process that died (SIGKILL, so nothing released it) on this host is taken
 * over with a notice on stderr; the lock of a process on another host, whose liveness cannot be checked from here,
 * needs {@code --break-lock}.
 */
@Timeout(180)
class RunDirectoryLockTest {
  private static final List<String> CHILD_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @TempDir Path tmp;

  @Test
  void aSecondProcessIsRefusedAndADeadHoldersLockIsTakenOver() throws Exception {
    // Slow answers and one request at a time, so the child is still running while this JVM tries the folder.
    SimulatorConfig config = SimulatorConfig.defaults().withLatency(Latency.parse("fixed:40"));
    try (Simulator sim = Simulator.start(config)) {
      SmallRecipe r = SmallRecipe.in(tmp).prompts(10).k(3).n(2).endpoint("max_in_flight", 1);
      Path recipe = r.write(sim.baseUrl());
      int total = r.generations() + r.judgments();
      Path dir = tmp.resolve("shared-run");
      Path ledger = dir.resolve("ledger");

      Path log = tmp.resolve("child.log");
      Process child = ChildJvm.start(Path.of("").toAbsolutePath(), log, CHILD_JVM, Map.of(), Cli.runArgs(recipe, dir, false));
      try {
        waitForLedger(child, ledger, 5, log);
        int before = CrashProbe.ledgerLines(ledger).size();

        // What the issue saw: a fresh demo into the same folder, which (without --resume) starts it from nothing.
        Cli.Result demo = Cli.run("demo", "--out", dir.toString(), "--no-progress");
        assertThat(demo.toString(), demo.exit(), is(2));
        assertThat(demo.err(), containsString("pid " + child.pid()));
        assertThat(demo.err(), containsString(hostName()));
        assertThat("the refused process did not touch the run directory", Files.exists(dir.resolve("manifest.json")), is(true));
        assertThat("the ledger was not wiped", CrashProbe.ledgerLines(ledger).size(), greaterThanOrEqualTo(before));
        assertThat(child.isAlive(), is(true));

        // A plain second run is refused too, even one that would only resume.
        Cli.Result second = Cli.run(Cli.runArgs(recipe, dir, true));
        assertThat(second.toString(), second.exit(), is(2));
        assertThat(second.err(), containsString("pid " + child.pid()));
      } finally {
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS), is(true));
      }

      // The holder was SIGKILLed: nothing released its lock. On the same host, a dead pid's lock is stale.
      Set<String> doneBefore = CrashProbe.ledgerBodies(ledger);
      int from = sim.requestLog().size();
      Cli.Result resumed = Cli.run(Cli.runArgs(recipe, dir, true));
      assertThat(resumed.toString(), resumed.exit(), is(0));
      assertThat(resumed.err(), containsString("stale"));
      assertThat(resumed.err(), containsString("pid " + child.pid()));
      Set<String> resent = CrashProbe.servedOk(sim.requestLog(), from);
      resent.retainAll(doneBefore);
      assertThat("the ledger the dead holder wrote was kept and replayed", resent, is(empty()));
      assertThat(CrashProbe.servedOk(sim.requestLog(), from).size(), lessThan(total));
      assertThat("the lock is released when the run ends", Files.exists(dir.resolve("run.lock")), is(false));
      System.out.println(
          "RELIABILITY run-lock: second process (demo and run --resume) refused with exit 2 while pid " + child.pid()
              + " held the folder; after SIGKILL the resume took the stale lock over and replayed " + doneBefore.size()
              + " of " + total + " calls from the ledger");
    }
  }

  @Test
  void aLockFromAnotherHostNeedsBreakLock() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      Path recipe = SmallRecipe.in(tmp).prompts(2).k(2).n(1).write(sim.baseUrl());
      Path dir = tmp.resolve("run");
      Cli.Result first = Cli.run(Cli.runArgs(recipe, dir, false));
      assertThat(first.toString(), first.exit(), is(0));

      // What a process on another machine sharing this folder (NFS, a synced volume) leaves while it runs.
      String foreign = "build-host-7.cluster.internal";
      Files.writeString(
          dir.resolve("run.lock"),
          "{\"host\":\"" + foreign + "\",\"pid\":4242,\"process_started_at\":\"2026-12-06T00:00:00Z\","
              + "\"started_at\":\"2026-12-06T00:00:01Z\",\"command\":\"./assay run recipe.yaml\"}\n");
      byte[] candidates = Files.readAllBytes(dir.resolve("candidates/candidates.jsonl"));

      Cli.Result refused = Cli.run(Cli.runArgs(recipe, dir, true));
      assertThat(refused.toString(), refused.exit(), is(2));
      assertThat(refused.err(), containsString(foreign));
      assertThat(refused.err(), containsString("4242"));
      assertThat(refused.err(), containsString("--break-lock"));
      assertThat(refused.err(), not(containsString("Exception")));
      assertThat(Files.readAllBytes(dir.resolve("candidates/candidates.jsonl")), is(candidates));

      List<String> breaking = new ArrayList<>(Cli.runArgs(recipe, dir, true));
      breaking.add("--break-lock");
      Cli.Result broken = Cli.run(breaking);
      assertThat(broken.toString(), broken.exit(), is(0));
      assertThat(broken.err(), containsString(foreign));
      assertThat("the lock is released when the run ends", Files.exists(dir.resolve("run.lock")), is(false));
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "";
    }
  }

  private static void waitForLedger(Process child, Path ledger, int entries, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (CrashProbe.ledgerLines(ledger).size() < entries) {
      assertThat("child ended early: " + Files.readString(log), child.isAlive(), is(true));
      assertThat("timed out waiting for the child", System.nanoTime(), lessThan(deadline));
      Thread.sleep(10);
    }
  }
}
