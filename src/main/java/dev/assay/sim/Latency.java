package dev.assay.sim;

import java.util.Locale;

/**
 * How long the simulator waits before answering a request. The wait is a pure function of a 64-bit draw (a hash of
 * the server seed, the request body and its attempt number), so a test run replays the same delays. Waiting never
 * holds a worker thread: the reply is scheduled for later (see {@link Simulator}).
 */
public sealed interface Latency {
  /** The longest wait any distribution returns, so that a heavy tail cannot hang a run. */
  long MAX_MILLIS = 60_000;

  /** The wait in milliseconds for a draw, in [0, {@link #MAX_MILLIS}]. */
  long millis(long draw);

  /** No wait at all: the reply is written by the thread that computed it. */
  static Latency none() {
    return new Fixed(0);
  }

  /**
   * Parses the command-line form: {@code 50} or {@code fixed:50}, {@code uniform:10-80},
   * {@code lognormal:50,0.5} (median ms, sigma of the log). Throws {@link IllegalArgumentException} with the
   * accepted forms on anything else.
   */
  static Latency parse(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("uniform:")) {
        String[] ab = s.substring("uniform:".length()).split("-", 2);
        return new Uniform(Long.parseLong(ab[0].strip()), Long.parseLong(ab[1].strip()));
      }
      if (s.startsWith("lognormal:")) {
        String[] ms = s.substring("lognormal:".length()).split(",", 2);
        return new LogNormal(Double.parseDouble(ms[0].strip()), Double.parseDouble(ms[1].strip()));
      }
      return new Fixed(Long.parseLong(s.startsWith("fixed:") ? s.substring("fixed:".length()).strip() : s));
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "latency must be MS, fixed:MS, uniform:MIN-MAX or lognormal:MEDIAN,SIGMA, not '" + spec + "'", e);
    }
  }

  /** Always the same wait. */
  record Fixed(long millis) implements Latency {
    public Fixed {
      if (millis < 0 || millis > MAX_MILLIS) {
        throw new IllegalArgumentException("fixed latency must be in [0, " + MAX_MILLIS + "] ms: " + millis);
      }
    }

    @Override
    public long millis(long draw) {
      return millis;
    }
  }

  /** A wait uniform in [minMillis, maxMillis]. */
  record Uniform(long minMillis, long maxMillis) implements Latency {
    public Uniform {
      if (minMillis < 0 || maxMillis < minMillis || maxMillis > MAX_MILLIS) {
        throw new IllegalArgumentException(
            "uniform latency needs 0 <= min <= max <= " + MAX_MILLIS + ": " + minMillis + "-" + maxMillis);
      }
    }

    @Override
    public long millis(long draw) {
      return minMillis + (long) Math.floor(SimHash.unit(draw) * (maxMillis - minMillis + 1));
    }
  }

  /** A log-normal wait, the usual shape of server latency: median {@code medianMillis}, log-sd {@code sigma}. */
  record LogNormal(double medianMillis, double sigma) implements Latency {
    public LogNormal {
      if (!(medianMillis > 0) || !(sigma >= 0) || medianMillis > MAX_MILLIS || sigma > 5) {
        throw new IllegalArgumentException(
            "log-normal latency needs 0 < median <= " + MAX_MILLIS + " and 0 <= sigma <= 5: "
                + medianMillis + "," + sigma);
      }
    }

    @Override
    public long millis(long draw) {
      double gaussian = new SimDraws(draw).nextGaussian();
      double ms = medianMillis * StrictMath.exp(sigma * gaussian);
      return Math.min(MAX_MILLIS, Math.round(ms));
    }
  }
}
