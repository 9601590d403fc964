package dev.assay.cli;

import dev.assay.pipeline.RunnerChoice;
import dev.assay.pipeline.UsageException;
import picocli.CommandLine.Option;

/**
 * The runner options {@code run} and {@code demo} share: {@code --runner}, {@code --flink-master} and
 * {@code --parallelism} (DESIGN section 4).
 *
 * <p>An unknown runner name, a negative parallelism or a Flink master without the Flink runner is a usage error
 * (exit 2): {@link #choice()} throws a {@link UsageException} that names the accepted values.
 */
final class RunnerOptions {
  @Option(
      names = "--runner",
      paramLabel = "auto|direct|flink",
      description =
          "Beam runner (default: auto: the direct runner below "
              + RunnerChoice.AUTO_FLINK_FROM_JUDGMENTS
              + " judgments and "
              + RunnerChoice.AUTO_FLINK_FROM_MODEL_CALLS
              + " model calls, embedded Flink from either). flink runs on embedded Flink, or on a cluster with --flink-master")
  String runner = "auto";

  @Option(
      names = "--flink-master",
      paramLabel = "HOST:PORT",
      description = "Flink JobManager to submit to (default: [local], a Flink mini-cluster in this process)")
  String flinkMaster = RunnerChoice.LOCAL;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "workers (default 0: one per core; on a Flink cluster, the cluster's default)")
  int parallelism;

  RunnerChoice choice() {
    try {
      RunnerChoice.Kind kind = RunnerChoice.kind(runner);
      if (kind != RunnerChoice.Kind.FLINK && !RunnerChoice.LOCAL.equals(flinkMaster)) {
        throw new IllegalArgumentException("--flink-master needs --runner flink");
      }
      return new RunnerChoice(kind, flinkMaster, parallelism);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
