package dev.assay.pipeline;

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

  /** The runners Assay builds pipelines for. */
  public enum Kind {
    DIRECT("DirectRunner"),
    FLINK("FlinkRunner");

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
      default -> throw new IllegalArgumentException("--runner must be direct or flink, not '" + name + "'");
    };
  }

  /** Whether Flink runs inside this JVM (so the run's clients, ledger and files are this process's own). */
  public boolean embedded() {
    return kind == Kind.DIRECT || LOCAL.equals(flinkMaster);
  }

  /** The workers this choice runs with: {@link #parallelism()}, or the number of cores when that is 0. */
  public int workers() {
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  /** How the manifest and the run's summary name this choice, e.g. {@code FlinkRunner [local] x2}. */
  public String describe() {
    if (kind == Kind.DIRECT) {
      return kind.beamName() + " x" + workers();
    }
    return kind.beamName() + " " + flinkMaster + (embedded() || parallelism > 0 ? " x" + workers() : " (cluster parallelism)");
  }

  /** Fresh options for one pipeline. */
  public PipelineOptions options() {
    if (kind == Kind.DIRECT) {
      DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
      o.setRunner(DirectRunner.class);
      o.setEnforceImmutability(false);
      o.setEnforceEncodability(false);
      o.setBlockOnRun(true);
      o.setTargetParallelism(workers());
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
    return o;
  }
}
