package dev.assay.grouping;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.flink.util.MathUtils;

/**
 * Grouping keys that a runner spreads evenly over its workers: numbered groups (prompt shards, file ranges) are
 * given {@link VarIntCoder} keys such that group {@code i} is processed by worker {@code i mod P}.
 *
 * <p>Why: Flink's batch runner sends a key to worker {@code murmurHash(Arrays.hashCode(key bytes)) mod P} (Beam's
 * {@code KvKeySelector} hashes the key's coder bytes, Flink's {@code OutputEmitter} partitions by that hash). With
 * the plain keys 0-15 on 2 workers that puts 10 prompt shards on one worker and 6 on the other (0-63: 37 and 27),
 * so the busier worker finishes the self-rewarding scoring and curation (ScoreAndCuratePairs) alone for the last fifth of it ({@code assay bench cpu}).
 * A group's key is {@code group + stride * j} for the smallest {@code j} that lands it on its worker, so {@link
 * #group} recovers the group as {@code key mod stride}.
 *
 * <p>Contract: {@link #key} is deterministic, distinct for distinct groups below the stride, and equals the group
 * where no spreading is needed (one worker, the direct runner, a Flink cluster whose parallelism is its own). Only
 * where a group runs depends on this, never what it computes: on a runner that hashes differently the groups land
 * wherever its hash sends them, as any keys would. A test on embedded Flink checks the spread itself.
 */
public final class ShardRouting implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Candidates {@code j} tried per group before falling back to the group itself (a worker is hit every ~P tries). */
  static final int TRIES = 1024;

  private final int workers;

  private ShardRouting(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1: " + workers);
    }
    this.workers = workers;
  }

  /** Spreads over {@code workers} Flink workers (1: keys are the groups). */
  public static ShardRouting flinkWorkers(int workers) {
    return new ShardRouting(workers);
  }

  /**
   * The routing for a pipeline with {@code options}: Flink's parallelism when the pipeline runs on Flink with a
   * parallelism set, else none (every key is its group).
   */
  public static ShardRouting of(PipelineOptions options) {
    if (options == null || options.getRunner() == null || !FlinkRunner.class.isAssignableFrom(options.getRunner())) {
      return new ShardRouting(1);
    }
    Integer parallelism = options.as(FlinkPipelineOptions.class).getParallelism();
    return new ShardRouting(parallelism == null || parallelism < 1 ? 1 : parallelism);
  }

  /** The workers keys are spread over (1 when none). */
  public int workers() {
    return workers;
  }

  /**
   * The key of {@code group} among groups numbered below {@code stride}.
   *
   * @throws IllegalArgumentException for a group outside {@code [0, stride)}
   */
  public int key(int group, int stride) {
    if (group < 0 || group >= stride) {
      throw new IllegalArgumentException("group " + group + " outside [0, " + stride + ")");
    }
    if (workers == 1) {
      return group;
    }
    int want = group % workers;
    for (long j = 0, key = group; j < TRIES && key <= Integer.MAX_VALUE; j++, key += stride) {
      if (flinkWorker((int) key, workers) == want) {
        return (int) key;
      }
    }
    return group;
  }

  /** The group of a key made by {@link #key}. */
  public static int group(int key, int stride) {
    return key % stride;
  }

  /** The worker Flink's batch runner sends a {@link VarIntCoder} key to, among {@code workers}. */
  static int flinkWorker(int key, int workers) {
    try {
      return MathUtils.murmurHash(Arrays.hashCode(CoderUtils.encodeToByteArray(VarIntCoder.of(), key))) % workers;
    } catch (CoderException e) {
      throw new IllegalStateException("a VarInt does not encode: " + key, e);
    }
  }
}
