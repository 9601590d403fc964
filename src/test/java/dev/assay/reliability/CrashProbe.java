package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.assay.bench.LedgerProbe;
import dev.assay.sim.RequestRecord;
import dev.assay.sim.Simulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the crash tests observe of a run from outside its JVM: the ledger folder (flushed per completed request, so
 * its size is a point in the run), the simulator's request log, and a SIGKILL at a chosen ledger size.
 */
final class CrashProbe {
  private CrashProbe() {}

  /** Simulator body hashes of the requests in the ledger folder (a killed writer's torn last line skipped). */
  static Set<String> ledgerBodies(Path ledger) throws IOException {
    return new HashSet<>(LedgerProbe.bodies(ledger).keySet());
  }

  /** Every line of the ledger's shards; empty before the folder exists. */
  static List<String> ledgerLines(Path ledger) throws IOException {
    return LedgerProbe.lines(ledger);
  }

  /** Kills {@code child} with SIGKILL (no shutdown hooks, no flushing) once the ledger holds {@code entries} lines. */
  static void killAt(Process child, Path ledger, long entries, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (ledgerLines(ledger).size() < entries) {
      assertThat("child ended before " + entries + " entries: " + Files.readString(log), child.isAlive(), is(true));
      assertThat("timed out waiting for the child", System.nanoTime(), lessThan(deadline));
      Thread.sleep(5);
    }
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS), is(true));
  }

  /**
   * Resumes a killed run in this JVM ({@code args}: {@link Cli#runArgs} with resume) and checks that it finished with
   * exit 0 and sent none of {@code doneBefore} again (the ledger's requests at the kill, {@link #ledgerBodies}).
   */
  static void resumeSendingNothingTwice(Simulator sim, List<String> args, Set<String> doneBefore) {
    int from = sim.requestLog().size();
    Cli.Result resumed = Cli.run(args);
    assertThat(resumed.toString(), resumed.exit(), is(0));
    Set<String> resent = servedOk(sim.requestLog(), from);
    resent.retainAll(doneBefore);
    assertThat("requests completed before the kill were not sent again", resent, is(empty()));
  }

  /** Body hashes of the chat requests the simulator answered with 200 from position {@code from} of its log on. */
  static Set<String> servedOk(List<RequestRecord> log, int from) {
    Set<String> out = new HashSet<>();
    for (RequestRecord r : log.subList(from, log.size())) {
      if (r.status() == 200 && r.path().endsWith("/chat/completions")) {
        out.add(r.bodySha256());
      }
    }
    return out;
  }
}
