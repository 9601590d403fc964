package dev.assay.pipeline;

import dev.assay.llm.EndpointStats;
import dev.assay.llm.LlmBackend;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a running pipeline's progress on a background thread: on a terminal a line rewritten in place every 0.5 s,
 * elsewhere (CI, logs) a plain line every 10 s, and a last line when it stops.
 *
 * <p>It reads the shared clients' live {@link EndpointStats} through the leases {@link RunLifecycle} holds rather
 * than Beam metrics: the DirectRunner only publishes a step's counters when a bundle commits, and a model stage's
 * bundle can hold most of the run, so metrics would sit at zero and then jump. The cost of this choice: calls
 * answered from the ledger (a resumed run) are not counted as done, and endpoints served by a caller-supplied backend
 * are not seen.
 *
 * <p>When the workers run on a Flink cluster the leases are the driver's own clients, which send nothing, so a live
 * count would read zero throughout. The runner then says so once ({@link #announceRemote}) and prints one line
 * from the Beam counters the workers reported when the job is over ({@link #finishRemote}): the FlinkRunner returns
 * from a batch job only when it has finished, so there is no earlier reading to show.
 */
final class ProgressMeter implements AutoCloseable {
  private final Map<String, LlmBackend> leases;
  private final Map<String, EndpointStats> before;
  private final long total;
  private final String label;
  private final PrintStream out;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private final ScheduledExecutorService timer;

  private ProgressMeter(
      Map<String, LlmBackend> leases, Map<String, EndpointStats> before, long total, String label, PrintStream out, boolean terminal) {
    this.leases = leases;
    this.before = before;
    this.total = total;
    this.label = label;
    this.out = out;
    this.terminal = terminal;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "assay-progress");
              t.setDaemon(true); // never keeps the JVM alive after a failed run
              return t;
            });
  }

  /**
   * Starts printing to {@code out}; {@code terminal} selects the rewritten line over periodic plain lines. {@code
   * label} names the pass when a run has more than one (e.g. {@code "meta-judge pass: "}; empty for the main one),
   * and {@code total} is that pass's own calls.
   */
  static ProgressMeter start(
      Map<String, LlmBackend> leases, Map<String, EndpointStats> before, long total, String label, PrintStream out, boolean terminal) {
    ProgressMeter m = new ProgressMeter(leases, before, total, label, out, terminal);
    long period = terminal ? 500 : 10_000;
    m.timer.scheduleAtFixedRate(m::print, period, period, TimeUnit.MILLISECONDS);
    return m;
  }

  /** The current reading: the change in every leased client's counters since the run started. */
  ProgressLine read() {
    long done = 0, retries = 0, failed = 0, tokens = 0;
    double cost = 0;
    for (var e : leases.entrySet()) {
      EndpointStats now = e.getValue().stats();
      EndpointStats b = before.getOrDefault(e.getKey(), new EndpointStats(0, 0, 0, 0, 0, 0, 0));
      done += (now.succeeded() - b.succeeded()) + (now.failed() - b.failed());
      retries += now.retries() - b.retries();
      failed += now.failed() - b.failed();
      tokens += (now.promptTokens() + now.completionTokens()) - (b.promptTokens() + b.completionTokens());
      cost += now.estimatedCost() - b.estimatedCost();
    }
    return new ProgressLine(done, total, Duration.ofNanos(System.nanoTime() - started), retries, failed, tokens, cost);
  }

  private void print() {
    try {
      String line = label + read().format();
      if (terminal) {
        out.print("\r" + line + "\u001b[K"); // erase what a longer previous line left
      } else {
        out.println("progress: " + line);
      }
      out.flush();
    } catch (RuntimeException e) {
      // A progress line is a courtesy; a failure to read stats must not kill the timer or the run.
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String line = label + read().format();
    out.println(terminal ? "\r" + line + "\u001b[K" : "progress: " + line);
    out.flush();
  }

  /**
   * Says, once, that no live count is shown because the workers are remote, and where to watch the job instead.
   *
   * @param master the JobManager's {@code host:port}, whose web UI shows the job's progress
   */
  static void announceRemote(String master, long total, PrintStream out) {
    out.println(
        "progress: about " + total + " model calls; the workers run on the Flink cluster at " + master
            + ", whose clients this process cannot read, so there is no live count here (Flink's web UI at http://"
            + master + " shows the job); totals follow when the job ends");
    out.flush();
  }

  /**
   * The last line of a run on remote workers, from the counters they reported: calls sent plus calls answered from
   * the ledger count as done.
   */
  static void finishRemote(java.util.Collection<dev.assay.run.EndpointUsage> usage, long total, Duration elapsed, PrintStream out) {
    long done = 0, retries = 0, failed = 0, tokens = 0;
    double cost = 0;
    for (var u : usage) {
      done += u.requests() + u.ledgerHits();
      retries += u.retries();
      failed += u.failures();
      tokens += u.promptTokens() + u.completionTokens();
      cost += u.estimatedCost();
    }
    out.println("progress: " + new ProgressLine(done, total, elapsed, retries, failed, tokens, cost).format());
    out.flush();
  }
}
