package dev.assay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of a subcommand ({@link AgreementCommand}, {@link QualifyCommand}, {@link AuditFiltersCommand}) with its output, errors and exit code captured. */
record CliRun(int exit, String out, String err) {
  static CliRun agreement(String... args) {
    return of(new AgreementCommand(), args);
  }

  static CliRun qualify(String... args) {
    return of(new QualifyCommand(), args);
  }

  static CliRun rank(String... args) {
    return of(new RankCommand(), args);
  }

  static CliRun auditFilters(String... args) {
    return of(new AuditFiltersCommand(), args);
  }

  private static CliRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** The --json output as a tree; fails the test with the error output when the run failed. */
  JsonNode json() {
    if (exit != 0) {
      throw new AssertionError("exit " + exit + ": " + err);
    }
    try {
      return Json.mapper().readTree(out);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("not JSON: " + out, e);
    }
  }
}
