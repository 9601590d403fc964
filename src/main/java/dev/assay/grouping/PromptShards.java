package dev.assay.grouping;

import dev.assay.io.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * The one definition of a prompt shard: every grouping of a run (pairing candidates, reward models, consistency,
 * consensus, pairs) keys by {@link #of} so that a GroupByKey sees at most {@code shards} keys, and every transform
 * checks its shard count with {@link #requireCount}. The key depends on nothing but the prompt id (a prefix of its
 * SHA-256), so every worker of every runner agrees; outputs never depend on it, since each grouping separates
 * prompts inside its shard.
 */
public final class PromptShards {
  private PromptShards() {}

  /**
   * The shard of {@code promptId}, in {@code [0, shards)}: the first seven hex digits of its SHA-256 (the top 28 bits)
   * modulo {@code shards}. Read from the digest's bytes, not its hex: every record of a run is keyed here, and
   * formatting and parsing the hex cost more than the hash.
   */
  public static int of(String promptId, int shards) {
    byte[] d = Hashing.sha256Bytes(promptId.getBytes(StandardCharsets.UTF_8));
    int top28 = (d[0] & 0xff) << 20 | (d[1] & 0xff) << 12 | (d[2] & 0xff) << 4 | (d[3] & 0xff) >>> 4;
    return top28 % shards;
  }

  /**
   * {@code shards}, checked.
   *
   * @throws IllegalArgumentException when it is below 1
   */
  public static int requireCount(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1: " + shards);
    }
    return shards;
  }
}
