package dev.assay.sim;

import java.util.List;

/**
 * A seeded stream of draws (SplitMix64). A fresh stream is built from a hash of everything the answer may depend on,
 * so the same request always consumes the same draws in the same order. Not thread-safe; one per answer.
 */
final class SimDraws {
  private long state;

  SimDraws(long seed) {
    this.state = seed;
  }

  long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return SimHash.mix(state);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound); the modulo bias is irrelevant at the bounds used here (< 100). */
  int nextInt(int bound) {
    return (int) Math.floorMod(nextLong(), (long) bound);
  }

  /** Standard normal by Box-Muller with StrictMath, so the value is identical on every JVM. */
  double nextGaussian() {
    double u1 = nextDouble();
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  <T> T pick(List<T> options) {
    return options.get(nextInt(options.size()));
  }
}
