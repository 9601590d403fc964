package dev.assay.llm;

import java.util.function.LongSupplier;

/**
 * A per-minute limit (requests or tokens) as a token bucket that hands out reservations instead of blocking, so the
 * caller decides how to wait: the caller thread sleeps before a first attempt (backpressure), a retry is scheduled
 * later on the retry executor (no thread sleeps inside OkHttp callbacks).
 *
 * <p>The bucket holds at most one second's worth of the per-minute rate. Providers enforce per-minute limits over
 * shorter windows too, so pacing smoothly avoids the 429s a full-minute burst would cause. A reservation larger
 * than what is available is granted at once and puts the bucket in debt; later reservations wait the debt off. That
 * way a request bigger than the burst (a long prompt under a small tokens-per-minute limit) still goes, at the rate.
 */
final class TokenBucket {
  private final double perNano;
  private final double capacity;
  private final LongSupplier nanoClock;
  private double available;
  private long stamp;

  /**
   * @param perMinute the rate, > 0
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   */
  TokenBucket(double perMinute, LongSupplier nanoClock) {
    if (!(perMinute > 0)) {
      throw new IllegalArgumentException("rate must be > 0: " + perMinute);
    }
    this.perNano = perMinute / 60e9;
    this.capacity = Math.max(1.0, perMinute / 60.0);
    this.nanoClock = nanoClock;
    this.available = capacity;
    this.stamp = nanoClock.getAsLong();
  }

  /** Takes {@code amount} now and returns how many nanoseconds the caller must wait before using it (0 = go). */
  synchronized long reserve(double amount) {
    refill();
    double before = available;
    available -= amount;
    if (before >= amount) {
      return 0;
    }
    // Wait until the bucket would have refilled to cover this reservation (the debt this call leaves behind).
    return (long) Math.ceil(-available / perNano);
  }

  /**
   * Corrects an earlier reservation once the true amount is known (e.g. the tokens the server reported): positive
   * {@code delta} takes more, negative gives back, never above capacity.
   */
  synchronized void adjust(double delta) {
    refill();
    available = Math.min(capacity, available - delta);
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    available = Math.min(capacity, available + (now - stamp) * perNano);
    stamp = now;
  }
}
