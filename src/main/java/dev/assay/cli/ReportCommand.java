package dev.assay.cli;

import dev.assay.report.ReportWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay report RUN_DIR}: writes {@code report.html} for a run directory, or, for a folder of {@code iter-*}
 * runs, each iteration's report and the cross-iteration {@code RUN_DIR/report.html}.
 *
 * <p>Exit codes: 0 success; 2 when RUN_DIR is missing, is neither a run directory nor a folder of iterations, or a
 * file in it cannot be read, after printing {@code assay: <message>} to the error writer, without a stack trace.
 */
@Command(
    name = "report",
    description = {
      "Write RUN_DIR/report.html: charts and tables of a run (self-contained, opens from disk).",
      "Given a folder of iter-* run directories, writes each iteration's report and one across iterations.",
      "Exit codes: 0 success, 2 bad usage or bad input."
    })
public final class ReportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Parameters(
      index = "0",
      paramLabel = "RUN_DIR",
      description = "A run directory (with manifest.json) or a folder of iter-* run directories.")
  private Path runDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (!Files.isDirectory(runDir)) {
        throw new IllegalArgumentException("no such run directory: " + runDir);
      }
      // A folder that is itself a run wins over iter-* subfolders it might also hold.
      boolean single = Files.isRegularFile(runDir.resolve("manifest.json")) || !ReportWriter.holdsIterations(runDir);
      Path report = single ? ReportWriter.write(runDir) : ReportWriter.writeAcross(runDir);
      out.println("report: " + report);
      out.flush();
      return Main.OK;
    } catch (IllegalArgumentException e) {
      err.println("assay: " + e.getMessage());
      err.flush();
      return Main.BAD_INPUT;
    } catch (UncheckedIOException e) {
      err.println("assay: " + e.getMessage() + ": " + e.getCause().getMessage());
      err.flush();
      return Main.BAD_INPUT;
    }
  }
}
