package dev.assay.bench;

import dev.assay.pipeline.RunnerChoice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@code assay bench cpu}: runs one mode in a JVM of its own, so that its peak RSS (VmHWM) and
 * heap limit are the mode's alone, and writes its {@link RunOutcome} as one JSON line to a result file.
 *
 * <p>Arguments: {@code MODE DATA_DIR RUN_DIR RESULT_FILE JUDGMENTS SHARDS}, with MODE one of {@code loop}, {@code direct},
 * {@code flink}. Exit status 0 with the result file written, or non-zero (the exception's stack trace on stderr;
 * 3 from {@code -XX:+ExitOnOutOfMemoryError} when the heap runs out).
 */
public final class CpuBenchChild {
  private CpuBenchChild() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: CpuBenchChild MODE DATA_DIR RUN_DIR RESULT_FILE JUDGMENTS SHARDS");
      System.exit(2);
    }
    String mode = args[0];
    Path data = Path.of(args[1]);
    Path run = Path.of(args[2]);
    long judgments = Long.parseLong(args[4]);
    int shards = Integer.parseInt(args[5]);
    RunOutcome outcome =
        switch (mode) {
          case "loop" -> LoopRun.run(data, run);
          case "direct" -> PipelineRun.run(mode, data, run, RunnerChoice.direct(), shardsFor(RunnerChoice.direct(), shards), judgments);
          case "flink" -> PipelineRun.run(mode, data, run, RunnerChoice.flinkLocal(), shardsFor(RunnerChoice.flinkLocal(), shards), judgments);
          default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
    Files.writeString(Path.of(args[3]), outcome.toJson() + "\n", StandardCharsets.UTF_8);
    // Flink's and Beam's non-daemon threads may outlive the pipeline; the result is written, so end here.
    System.exit(0);
  }

  /** {@code shards}, or the runner's own choice when it is 0. */
  private static int shardsFor(RunnerChoice runner, int shards) {
    return shards > 0 ? shards : runner.shards();
  }
}
