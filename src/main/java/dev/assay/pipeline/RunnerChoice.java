package dev.assay.pipeline;

import dev.assay.grouping.PromptShardOptions;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Which Beam runner executes a run's pipelines, and how: the direct runner in this JVM, or Flink, embedded
 * ({@code [local]}, a mini-cluster in this JVM) or a cluster's JobManager ({@code host:port}).
 *
 * <p>Every pipeline of a run (the main one, the meta-judge pass, the rationalization pass) is built from the same
 * choice, so a run never mixes runners. Runtime checks that catch bugs in tests (immutability and encodability on the
 * direct runner) are off: they cost 10-25% (BUILD-NOTES), and the transform tests keep them on. On Flink, object reuse
 * and faster copies are on: Assay's records are immutable Java records, so no DoFn can change an element another
 * one still reads.
 *
 * @param kind the runner
 * @param flinkMaster {@code [local]} or {@code host:port}; ignored by the direct runner
 * @param parallelism workers (direct: target parallelism; Flink: operator parallelism); 0 means the number of cores
 */
public record RunnerChoice(Kind kind, String flinkMaster, int parallelism) {
  /** The embedded Flink mini-cluster. */
  public static final String LOCAL = "[local]";

  /**
   * Judgments from which {@code auto} picks embedded Flink over the direct runner (BENCHMARKS.md, CPU path, 2 cores).
   * With the self-rewarding scoring and curation (ScoreAndCuratePairs) in one shuffle and the launcher's class-data archive, the direct runner is faster
   * below this size (6.6 s against 8.0 s at 100k judgments) and still here (10.7 and 12.5 s), but it already holds
   * 1.6 GB against Flink's 1.0 GB; Flink is faster above it (21.6 s against 28.0 s at 1M) in 1.25 GB, where the
   * direct runner fills its 2 GB heap: it holds every grouped value in memory. So Flink from here on.
   */
  public static final long AUTO_FLINK_FROM_JUDGMENTS = 300_000;

  /** The runners Assay builds pipelines for; {@code AUTO} is a choice still to be made from the run's size. */
  public enum Kind {
    DIRECT("DirectRunner"),
    FLINK("FlinkRunner"),
    AUTO("auto");

    private final String beamName;

    Kind(String beamName) {
      this.beamName = beamName;
    }

    /** The runner's Beam class name, as recorded in the manifest. */
    public String beamName() {
      return beamName;
    }
  }

  public RunnerChoice {
    if (kind == null) {
      throw new IllegalArgumentException("runner kind is required");
    }
    flinkMaster = flinkMaster == null || flinkMaster.isBlank() ? LOCAL : flinkMaster.strip();
    if (parallelism < 0) {
      throw new IllegalArgumentException("parallelism must be 0 (all cores) or more, not " + parallelism);
    }
  }

  /** The direct runner with as many workers as cores. */
  public static RunnerChoice direct() {
    return new RunnerChoice(Kind.DIRECT, null, 0);
  }

  /** The direct runner or embedded Flink, whichever the run's size calls for; see {@link #resolve}. */
  public static RunnerChoice auto() {
    return new RunnerChoice(Kind.AUTO, null, 0);
  }

  /**
   * Model calls from which {@code auto} picks embedded Flink whatever the number of judgments (BENCHMARKS.md, LLM
   * I/O). While a model stage waits on its requests, the direct runner's monitor re-polls every step for timers
   * without pause (Beam issue 18070, open): on 2 cores it took a quarter of the CPU, and the same transform used 321
   * us of CPU per request on Flink {@code [local]} against 442 us on the direct runner (0.89 against 0.81 of the ideal
   * rate at C = 256). Below this many calls the run is short, and Flink's few seconds of start-up would weigh more.
   */
  public static final long AUTO_FLINK_FROM_MODEL_CALLS = 20_000;

  /**
   * The concrete choice for a run that will hold {@code judgments} judgments and make about {@code modelCalls}
   * model calls: {@code auto} becomes embedded Flink from {@link #AUTO_FLINK_FROM_JUDGMENTS} judgments or {@link
   * #AUTO_FLINK_FROM_MODEL_CALLS} calls on, else the direct runner, keeping the parallelism; any other choice is
   * returned as it is.
   */
  public RunnerChoice resolve(long judgments, long modelCalls) {
    if (kind != Kind.AUTO) {
      return this;
    }
    boolean flink = judgments >= AUTO_FLINK_FROM_JUDGMENTS || modelCalls >= AUTO_FLINK_FROM_MODEL_CALLS;
    return new RunnerChoice(flink ? Kind.FLINK : Kind.DIRECT, LOCAL, parallelism);
  }

  /** Embedded Flink with as many slots as cores. */
  public static RunnerChoice flinkLocal() {
    return new RunnerChoice(Kind.FLINK, LOCAL, 0);
  }

  /**
   * Parses the command line's {@code --runner} value.
   *
   * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
   */
  public static Kind kind(String name) {
    return switch (name == null ? "" : name.strip().toLowerCase(Locale.ROOT)) {
      case "direct" -> Kind.DIRECT;
      case "flink" -> Kind.FLINK;
      case "auto" -> Kind.AUTO;
      default -> throw new IllegalArgumentException("--runner must be auto, direct or flink, not '" + name + "'");
    };
  }

  /** Whether the pipelines run inside this JVM (so the run's clients, ledger and files are this process's own). */
  public boolean embedded() {
    return kind != Kind.FLINK || LOCAL.equals(flinkMaster);
  }

  /** The workers this choice runs with: {@link #parallelism()}, or the number of cores when that is 0. */
  public int workers() {
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  /** Shards per Flink slot: see {@link #shards}. */
  static final int FLINK_SHARDS_PER_SLOT = 8;

  /**
   * How many prompt-hash shards the run's groupings use (reward models, consistency, consensus, pairs). The direct
   * runner pays per key after every GroupByKey (a bundle per key), so it gets one shard per worker: 2 shards instead
   * of 16 took 35-45% of the CPU off the self-rewarding scoring and curation (ScoreAndCuratePairs) at 10k-100k judgments (BENCHMARKS.md); its threads take
   * the next key as they come free, so few keys still balance. Flink pays nothing per key but sends each shard to a
   * slot by the hash of its key, once, so a slot's share is a draw: with one shard per slot about a third of the
   * slots get none and the busiest gets three or four, and the grouping ends when the busiest does. It gets {@value
   * #FLINK_SHARDS_PER_SLOT} per slot, at least 16 (here 16 on 2 slots split 10 and 6; at 8 per slot the busiest of 64
   * slots holds about twice the mean, not four times). {@link dev.assay.grouping.JoinPromptShards} sends smaller
   * batches when there are many shards, so memory does not grow with them. The outputs do not depend on the count:
   * every grouping aggregates per prompt inside its shard.
   *
   * @throws IllegalStateException for {@code auto}, which must be {@link #resolve resolved} first
   */
  public int shards() {
    return switch (kind) {
      case DIRECT -> workers();
      case FLINK -> Math.max(PromptShardOptions.DEFAULT, FLINK_SHARDS_PER_SLOT * workers());
      case AUTO -> throw new IllegalStateException("the auto runner choice is resolved from the run's size first");
    };
  }

  /** How the manifest and the run's summary name this choice, e.g. {@code FlinkRunner [local] x2}. */
  public String describe() {
    if (kind == Kind.AUTO) {
      return "auto";
    }
    if (kind == Kind.DIRECT) {
      return kind.beamName() + " x" + workers();
    }
    return kind.beamName() + " " + flinkMaster + (embedded() || parallelism > 0 ? " x" + workers() : " (cluster parallelism)");
  }

  /**
   * Fresh options for one pipeline, with {@link #shards} as its {@link PromptShardOptions}: the one place a run's
   * groupings learn their shard count.
   *
   * @throws IllegalStateException for {@code auto}, which must be {@link #resolve resolved} first
   */
  public PipelineOptions options() {
    if (kind == Kind.AUTO) {
      throw new IllegalStateException("the auto runner choice is resolved from the run's size before a pipeline is built");
    }
    if (kind == Kind.DIRECT) {
      DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
      o.setRunner(DirectRunner.class);
      o.setEnforceImmutability(false);
      o.setEnforceEncodability(false);
      o.setBlockOnRun(true);
      o.setTargetParallelism(workers());
      o.as(PromptShardOptions.class).setPromptShards(shards());
      return o;
    }
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster(flinkMaster);
    if (embedded() || parallelism > 0) {
      o.setParallelism(workers()); // else the cluster's default parallelism
    }
    o.setObjectReuse(true);
    o.setFasterCopy(true);
    o.setAttachedMode(true);
    o.as(PromptShardOptions.class).setPromptShards(shards());
    return o;
  }
}
