package dev.assay.run;

import dev.assay.io.Hashing;

/**
 * Sampling seeds derived from the run's master seed and the identity of what is sampled, never from order or time.
 *
 * <p>Deriving from identity (prompt id, judge, sample index) makes each request's seed independent of how the
 * runner partitions work, so a resumed or re-sharded run sends exactly the requests an uninterrupted run would.
 * Seeds are non-negative and below 2^31 because some servers reject larger ones.
 */
public final class Seeds {
  private Seeds() {}

  public static long derive(long master, String... parts) {
    String joined = master + "\u0000" + String.join("\u0000", parts);
    String hex = Hashing.sha256(joined);
    return Long.parseLong(hex.substring(0, 8), 16) & 0x7fffffffL;
  }
}
