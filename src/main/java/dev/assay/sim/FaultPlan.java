package dev.assay.sim;

import java.util.List;
import java.util.Locale;

/**
 * Which faults the simulator injects, and how often. Faults are decided per request from a hash of the server seed,
 * the request body and how many times that same body has been seen (its attempt number); so a test run is
 * repeatable, and a retry of the same body draws again and can succeed. Faults never change the content of a
 * successful reply: a body answered on its fifth attempt gets the same bytes as one answered on its first.
 *
 * @param rate429 share of requests answered 429 (rate limited), with {@code Retry-After: retryAfterSeconds}
 * @param rate500 share answered 500
 * @param rateTimeout share held for {@code timeoutHoldMillis} and then answered 504 (a client with a shorter timeout
 *     gives up first); held replies are dropped when the simulator closes
 * @param rateMalformed share answered 200 with a body that is not JSON
 * @param rateTruncated share answered 200 whose body is cut mid-JSON and the connection closed
 * @param rateReset share whose connection is closed without a reply
 * @param retryAfterSeconds the {@code Retry-After} value sent with 429, >= 0
 * @param timeoutHoldMillis how long a timeout fault holds the reply, in (0, 600000]
 * @param maxFaultsPerBody after this many faulted attempts of one body, its later attempts are served cleanly
 *     ({@link Integer#MAX_VALUE}: no such guarantee, every attempt draws)
 * @param rateSlow share answered 200 whose body arrives slowly, in ten chunks over {@code slowBodyMillis} (a client
 *     whose read timeout exceeds one chunk's gap but whose call timeout is shorter than the whole body gives up)
 * @param slowBodyMillis how long a slow body takes to arrive, in (0, 600000]
 */
public record FaultPlan(
    double rate429,
    double rate500,
    double rateTimeout,
    double rateMalformed,
    double rateTruncated,
    double rateReset,
    int retryAfterSeconds,
    long timeoutHoldMillis,
    int maxFaultsPerBody,
    double rateSlow,
    long slowBodyMillis) {

  private static final List<String> RATE_KEYS =
      List.of("429", "500", "timeout", "malformed", "truncated", "reset", "slow");
  private static final long DEFAULT_SLOW_BODY_MILLIS = 1_000;

  public FaultPlan {
    double sum = 0;
    for (double r : new double[] {rate429, rate500, rateTimeout, rateMalformed, rateTruncated, rateReset, rateSlow}) {
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException("fault rates must be in [0, 1]: " + r);
      }
      sum += r;
    }
    if (sum > 1 + 1e-9) {
      throw new IllegalArgumentException("fault rates add up to " + sum + ", more than 1");
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0: " + retryAfterSeconds);
    }
    if (timeoutHoldMillis <= 0 || timeoutHoldMillis > 600_000) {
      throw new IllegalArgumentException("timeoutHoldMillis must be in (0, 600000]: " + timeoutHoldMillis);
    }
    if (maxFaultsPerBody < 0) {
      throw new IllegalArgumentException("maxFaultsPerBody must be >= 0: " + maxFaultsPerBody);
    }
    if (slowBodyMillis <= 0 || slowBodyMillis > 600_000) {
      throw new IllegalArgumentException("slowBodyMillis must be in (0, 600000]: " + slowBodyMillis);
    }
  }

  /** The six original fault kinds, without slow bodies (slow-body rate 0, 1 s). */
  public FaultPlan(
      double rate429,
      double rate500,
      double rateTimeout,
      double rateMalformed,
      double rateTruncated,
      double rateReset,
      int retryAfterSeconds,
      long timeoutHoldMillis,
      int maxFaultsPerBody) {
    this(
        rate429, rate500, rateTimeout, rateMalformed, rateTruncated, rateReset, retryAfterSeconds, timeoutHoldMillis,
        maxFaultsPerBody, 0, DEFAULT_SLOW_BODY_MILLIS);
  }

  /** No faults: Retry-After 1 s, timeout hold 30 s, no per-body guarantee (the values used once rates are set). */
  public static FaultPlan none() {
    return rates(0, 0, 0, 0, 0, 0);
  }

  /** The given rates with the default extras of {@link #none()}. */
  public static FaultPlan rates(
      double rate429,
      double rate500,
      double rateTimeout,
      double rateMalformed,
      double rateTruncated,
      double rateReset) {
    return new FaultPlan(
        rate429, rate500, rateTimeout, rateMalformed, rateTruncated, rateReset, 1, 30_000, Integer.MAX_VALUE);
  }

  /**
   * Parses the command-line form, comma-separated {@code key=value} with keys {@code 429}, {@code 500},
   * {@code timeout}, {@code malformed}, {@code truncated}, {@code reset} (rates), {@code retry-after} (seconds),
   * {@code timeout-ms}, {@code max-faults-per-body}, {@code slow} (rate) and {@code slow-ms}; e.g. {@code 429=0.05,500=0.02,retry-after=2}. Missing keys keep
   * the values of {@link #none()}; an empty string is {@link #none()}. Unknown keys and bad numbers throw
   * {@link IllegalArgumentException} naming the offending item.
   */
  public static FaultPlan parse(String spec) {
    FaultPlan p = none();
    double[] rates = {p.rate429, p.rate500, p.rateTimeout, p.rateMalformed, p.rateTruncated, p.rateReset, p.rateSlow};
    for (String item : spec.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      String[] kv = item.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("fault item must be key=value: '" + item.strip() + "'");
      }
      String k = kv[0].strip().toLowerCase(Locale.ROOT);
      String v = kv[1].strip();
      int rate = RATE_KEYS.indexOf(k);
      try {
        if (rate >= 0) {
          rates[rate] = Double.parseDouble(v);
        } else {
          p =
              switch (k) {
                case "retry-after" -> p.withRetryAfterSeconds(Integer.parseInt(v));
                case "timeout-ms" -> p.withTimeoutHoldMillis(Long.parseLong(v));
                case "max-faults-per-body" -> p.withMaxFaultsPerBody(Integer.parseInt(v));
                case "slow-ms" -> p.withSlowBody(p.rateSlow, Long.parseLong(v));
                default -> throw new IllegalArgumentException(
                    "unknown fault key '" + k + "' (known: " + String.join(", ", RATE_KEYS)
                        + ", retry-after, timeout-ms, max-faults-per-body, slow-ms)");
              };
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("fault item '" + item.strip() + "' has a bad number", e);
      }
    }
    return new FaultPlan(
        rates[0], rates[1], rates[2], rates[3], rates[4], rates[5], p.retryAfterSeconds, p.timeoutHoldMillis,
        p.maxFaultsPerBody, rates[6], p.slowBodyMillis);
  }

  public FaultPlan withRetryAfterSeconds(int seconds) {
    return new FaultPlan(
        rate429, rate500, rateTimeout, rateMalformed, rateTruncated, rateReset, seconds, timeoutHoldMillis,
        maxFaultsPerBody, rateSlow, slowBodyMillis);
  }

  public FaultPlan withTimeoutHoldMillis(long millis) {
    return new FaultPlan(
        rate429, rate500, rateTimeout, rateMalformed, rateTruncated, rateReset, retryAfterSeconds, millis,
        maxFaultsPerBody, rateSlow, slowBodyMillis);
  }

  public FaultPlan withMaxFaultsPerBody(int max) {
    return new FaultPlan(
        rate429, rate500, rateTimeout, rateMalformed, rateTruncated, rateReset, retryAfterSeconds, timeoutHoldMillis,
        max, rateSlow, slowBodyMillis);
  }

  /** Slow bodies at {@code rate}, each taking {@code millis} to arrive. */
  public FaultPlan withSlowBody(double rate, long millis) {
    return new FaultPlan(
        rate429, rate500, rateTimeout, rateMalformed, rateTruncated, rateReset, retryAfterSeconds, timeoutHoldMillis,
        maxFaultsPerBody, rate, millis);
  }

  /** Whether any fault can happen at all (lets the simulator skip per-body bookkeeping when none can). */
  public boolean any() {
    return rate429 + rate500 + rateTimeout + rateMalformed + rateTruncated + rateReset + rateSlow > 0;
  }

  /** The fault for a uniform draw in [0, 1): consecutive slices of [0, 1) in declaration order. */
  Fault pick(double u) {
    double edge = rate429;
    if (u < edge) return Fault.RATE_LIMIT;
    if (u < (edge += rate500)) return Fault.SERVER_ERROR;
    if (u < (edge += rateTimeout)) return Fault.TIMEOUT;
    if (u < (edge += rateMalformed)) return Fault.MALFORMED;
    if (u < (edge += rateTruncated)) return Fault.TRUNCATED;
    if (u < (edge += rateReset)) return Fault.RESET;
    if (u < (edge += rateSlow)) return Fault.SLOW;
    return Fault.NONE;
  }
}
