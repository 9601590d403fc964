package dev.assay.pipeline;

import java.time.Duration;
import java.util.Locale;

/**
 * One progress reading of a running pipeline and its one-line rendering, e.g. {@code requests 120/800 (15.0%) 24.0/s
 * ETA 0:28 | retries 3 | failed 1 | tokens 48210 | cost $0.0123 of ~$0.0820 projected} (the projection only where the
 * endpoints have prices).
 *
 * <p>{@code total} is an estimate made before the run (see {@link Workload#requests}); {@code done} can
 * pass it (retries of parse failures, reward-model calls the estimate leaves out), so the percentage is capped at
 * 100 and the ETA then reads {@code ?}.
 *
 * @param done model calls finished (ok or failed for good) since the run started
 * @param total expected model calls, 0 when unknown
 * @param elapsed time since the run started
 * @param retries retried HTTP requests
 * @param failed calls that failed for good
 * @param tokens prompt plus completion tokens
 * @param cost estimated cost from the endpoints' prices
 */
public record ProgressLine(long done, long total, Duration elapsed, long retries, long failed, long tokens, double cost) {
  /** The line, without a line terminator. */
  public String format() {
    double seconds = elapsed.toMillis() / 1000.0;
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder sb = new StringBuilder("requests ").append(done);
    if (total > 0) {
      sb.append('/').append(total).append(String.format(Locale.ROOT, " (%.1f%%)", Math.min(100.0, 100.0 * done / total)));
    }
    sb.append(String.format(Locale.ROOT, " %.1f/s", rate));
    if (total > 0) {
      sb.append(" ETA ").append(done < total && rate > 0 ? clock(Math.round((total - done) / rate)) : done >= total ? "?" : "-");
    }
    sb.append(" | retries ").append(retries).append(" | failed ").append(failed).append(" | tokens ").append(tokens);
    sb.append(String.format(Locale.ROOT, " | cost $%.4f", cost));
    Double projected = projectedCost();
    if (projected != null) {
      sb.append(String.format(Locale.ROOT, " of ~$%.4f projected", projected));
    }
    return sb.toString();
  }

  /**
   * The run's total cost if the calls still to come cost what the finished ones did on average: {@code cost x total /
   * done}. Null when there is nothing to project from: no prices (cost 0), no total, or nothing done yet; once
   * {@code done} passes the estimated total, the cost so far.
   */
  public Double projectedCost() {
    if (cost <= 0 || total <= 0 || done <= 0) {
      return null;
    }
    return done >= total ? cost : cost * total / done;
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
  static String clock(long seconds) {
    long h = seconds / 3600;
    long m = (seconds % 3600) / 60;
    long s = seconds % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
  }
}
