package dev.assay.run;

import dev.assay.io.Hashing;

/**
 * The one definition of a prompt shard: every grouping of a run (pairing candidates, reward models, consistency,
 * consensus, pairs) keys by {@link #of} so that a GroupByKey sees at most {@code shards} keys, and every transform
 * checks its shard count with {@link #requireCount}. The key depends on nothing but the prompt id (a prefix of its
 * SHA-256), so every worker of every runner agrees; outputs never depend on it, since each grouping separates
 * prompts inside its shard.
 */
public final class PromptShards {
  private PromptShards() {}

  /** The shard of {@code promptId}, in {@code [0, shards)}. */
  public static int of(String promptId, int shards) {
    return Integer.parseUnsignedInt(Hashing.sha256(promptId).substring(0, 7), 16) % shards;
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
