package dev.assay.sim;

/**
 * Deterministic 64-bit hashing for the simulator. Everything the simulator decides (truth, text, noise, faults) is a
 * function of such hashes, never of {@code java.util.Random} or {@link String#hashCode()}, so that any JVM on any
 * machine reproduces the same answer for the same input (a resumed run must see byte-identical replies).
 */
final class SimHash {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private SimHash() {}

  /** FNV-1a over the UTF-16 code units, finalised: cheap enough to hash every word of every request. */
  static long of(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Combines parts in order; {@code key(a, b) != key(b, a)} in general, so parts cannot be swapped silently. */
  static long key(long... parts) {
    long h = GOLDEN;
    for (long p : parts) {
      h = mix(h ^ p) + GOLDEN;
    }
    return mix(h);
  }

  /** A uniform double in [0, 1) from a hash. */
  static double unit(long h) {
    return (mix(h) >>> 11) * 0x1.0p-53;
  }
}
