package dev.assay.cli;

import java.nio.file.Path;

/**
 * The workload the {@code ./assay} launcher runs once per build under {@code -XX:ArchiveClassesAtExit}, so that the
 * JVM writes a class-data-sharing archive of every class it loaded; every later {@code ./assay} JVM maps that archive
 * instead of reading, parsing and verifying those classes again.
 *
 * <p>Why: a Beam pipeline on embedded Flink loads some 10,000 classes before the first record moves, and on 2 cores
 * that start-up competes with the work itself. With the archive, {@code assay bench cpu} measured 1M judgments on
 * Flink {@code [local]} 3-4 s faster and a 10k-judgment run 1.9 s faster (BENCHMARKS.md). The workload is the demo on
 * embedded Flink (simulator, HTTP client, ledger, every stage, the Flink runner), then the demo resumed on the
 * direct runner (its runner classes; the ledger answers every request, so nothing is sent twice).
 *
 * <p>Usage: {@code ClassDataTraining SCRATCH_DIR}; the demo's outputs go there and the launcher removes them. Exits
 * with the first non-zero status of the two demos (the launcher then drops the archive and runs without one), 2 on
 * bad usage. It must end through {@link System#exit}, which is also when the JVM writes the archive.
 */
public final class ClassDataTraining {
  private ClassDataTraining() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ClassDataTraining SCRATCH_DIR");
      System.exit(Main.BAD_INPUT);
    }
    String out = Path.of(args[0]).resolve("demo").toString();
    int rc = Main.execute("demo", "--out", out, "--runner", "flink", "--no-progress");
    if (rc == Main.OK) {
      rc = Main.execute("demo", "--out", out, "--runner", "direct", "--resume", "--no-progress");
    }
    System.exit(rc);
  }
}
