package dev.assay.cli;

import dev.assay.consistency.AuditReport;
import dev.assay.consistency.AuditReportText;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code assay audit --current DIR --previous DIR [--on auto|anchor|candidates] [--min-consistency X] [--json]}: the
 * consistency audit between
 * two iterations' run directories ({@link AuditReport}).
 *
 * <p>Prints the report as text, or as JSON with sorted keys ({@code --json}), to the command line's output writer.
 * Exit codes: 0 success (and the gate passed, when one was asked for); 1 consistency C is below {@code
 * --min-consistency} or undefined, after the report, with {@code assay: gate failed: ... by X} on the error writer;
 * 2 bad usage or bad input, after {@code assay: <message>} naming the file (and line and field for a bad record),
 * without a stack trace.
 */
@Command(
    name = "audit",
    sortOptions = false,
    description = {
      "Consistency between two iterations on the candidates both judged: per-prompt Kendall tau-b and"
          + " C(x) = (tau_b + 1) / 2 between the iterations' mean scores, set-level C and label_smoothing = 1 - C,"
          + " Cohen's kappa of the rounded mean scores (unweighted and quadratic), the score distributions and their"
          + " total variation distance, and position-flip rates of pairwise judges.",
      "Reads the anchor set's judgments (anchor/judgments.jsonl) when both run directories have them, so any two"
          + " iterations of a series compare on the same responses; else judgments/judgments.jsonl.",
      "Exit codes: 0 success, 1 C below --min-consistency, 2 bad usage or bad input."
    })
public final class AuditCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--current", required = true, paramLabel = "DIR", description = "The current iteration's run directory.")
  private Path current;

  @Option(names = "--previous", required = true, paramLabel = "DIR", description = "The previous iteration's run directory.")
  private Path previous;

  @Option(
      names = "--min-consistency",
      paramLabel = "X",
      description = "Exit 1 when consistency C is below X (in [0, 1]) or undefined.")
  private Double minConsistency;

  @Option(
      names = "--judge",
      paramLabel = "NAME",
      description = "The absolute judge whose scores to compare (default: the only one in each file).")
  private String judge;

  @Option(
      names = "--previous-judge",
      paramLabel = "NAME",
      description = "The previous iteration's absolute judge, when its name differs (default: --judge).")
  private String previousJudge;

  @Option(
      names = "--on",
      paramLabel = "SET",
      description =
          "What to compare: anchor (the anchor set both runs judged, anchor/judgments.jsonl), candidates (the runs'"
              + " own judgments), or auto (default: the anchor set when both runs have one).")
  private String on = "auto";

  @Option(names = "--json", description = "Print the report as JSON (sorted keys) instead of text.")
  private boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AuditReport.Options options;
    AuditReport report;
    try {
      options = new AuditReport.Options(judge, previousJudge, minConsistency, on(on));
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage());
    }
    try {
      report = AuditReport.compute(current, previous, options);
    } catch (InputException e) {
      return fail(err, e.getMessage());
    }
    out.print(json ? Json.pretty(report) : AuditReportText.render(report));
    out.flush();
    if (report.gate() != null && !report.gate().passed()) {
      err.println("assay: " + AuditReportText.gateLine(report.gate()));
      err.flush();
      return Main.GATE_FAILED;
    }
    return Main.OK;
  }

  private static AuditReport.On on(String value) {
    for (AuditReport.On o : AuditReport.On.values()) {
      if (o.name().equalsIgnoreCase(value)) {
        return o;
      }
    }
    throw new IllegalArgumentException("--on must be auto, anchor or candidates: " + value);
  }

  private static int fail(PrintWriter err, String message) {
    err.println("assay: " + message);
    err.flush();
    return Main.BAD_INPUT;
  }
}
