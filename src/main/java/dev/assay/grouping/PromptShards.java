package dev.assay.grouping;

import dev.assay.io.Hashing;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * The one definition of a prompt shard: every grouping of a run (pairing candidates, reward models, consistency,
 * consensus, pairs) keys by {@link #of} so that a GroupByKey sees at most {@code shards} keys. How many shards a
 * pipeline uses is its {@link PromptShardOptions} ({@link #count}), read here and nowhere in a stage. The key depends on nothing but the prompt id (a prefix of its
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
   * The shard count of a pipeline with {@code options}: its {@link PromptShardOptions#getPromptShards()} ({@value
   * PromptShardOptions#DEFAULT} unless the wiring set another).
   *
   * @throws IllegalArgumentException when the option is below 1
   */
  public static int count(PipelineOptions options) {
    return requireCount(options.as(PromptShardOptions.class).getPromptShards());
  }

  /**
   * The shard key of a record in {@code pipeline}, for a grouping that cannot use {@link GroupIntoPromptShards} or
   * {@link JoinPromptShards} (a {@code CoGroupByKey} with tags of its own): {@link #of} its prompt id in the
   * pipeline's {@link #count}.
   */
  public static <T> SerializableFunction<T, Integer> keys(Pipeline pipeline, SerializableFunction<T, String> promptId) {
    int n = count(pipeline.getOptions());
    return record -> of(promptId.apply(record), n);
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
