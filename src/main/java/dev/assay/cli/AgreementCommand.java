package dev.assay.cli;

import dev.assay.agreement.AgreementOptions;
import dev.assay.agreement.AgreementReport;
import dev.assay.agreement.AgreementReportText;
import dev.assay.agreement.ExcludeScope;
import dev.assay.agreement.ImportFormat;
import dev.assay.agreement.LabelMap;
import dev.assay.agreement.LongFormatReader;
import dev.assay.agreement.MeasurementLevel;
import dev.assay.agreement.RaterPattern;
import dev.assay.agreement.Ratings;
import dev.assay.agreement.RowFilter;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay agreement FILE [options]}: agreement statistics on any long-format ratings file (one vote per row:
 * item, rater, label), or on a published judgment file read through {@code --import}.
 *
 * <p>Prints an {@link AgreementReport} as aligned text, or as JSON with sorted keys ({@code --json}) to the command
 * line's output writer. Exit codes: 0 success; 2 bad usage or bad input (a folder given as FILE included), after
 * printing {@code assay: <message>} (file, line and field for bad input) to the error writer, without a stack
 * trace. picocli's own usage errors (an unknown option) also exit 2.
 */
@Command(
    name = "agreement",
    sortOptions = false,
    description = {
      "Agreement statistics on a long-format ratings file: one row per vote with item key field(s), a rater and a"
          + " label (JSONL or CSV with a header row).",
      "Among all raters: percent agreement over all pairs of votes within an item, Fleiss' kappa (when every item"
          + " has the same number of votes), Krippendorff's alpha. Between two rater groups: every pair of votes on"
          + " an item, one from each group: percent agreement, Cohen's kappa (weighted from the ordinal level up),"
          + " Kendall's tau-b and Spearman (ordinal and up), Pearson (interval and up). Per pair of raters (at most"
          + " 20 raters): Cohen's kappa.",
      "Exit codes: 0 success, 2 bad usage or bad input."
    })
public final class AgreementCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  // Only --help: a subcommand has no version of its own to print (the main command owns --version).
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The ratings file (.jsonl, .ndjson, .csv, optionally .gz).")
  private Path file;

  @Option(
      names = "--import",
      paramLabel = "SOURCE",
      description =
          "Read a published file as it is: 'pandalm' (PandaLM testset-v1.json: raters annotator1..3) or 'llmbar'"
              + " (an LLMBar evaluators/<judge>/<strategy>/result.json: raters gold, original, swapped).")
  private String importFormat;

  @Option(names = "--format", paramLabel = "jsonl|csv", description = "File syntax (default: from the extension).")
  private String format;

  @Option(
      names = "--item",
      split = ",",
      paramLabel = "FIELD",
      description = "Field(s) that together identify an item (default: item).")
  private List<String> itemFields;

  @Option(names = "--rater", paramLabel = "FIELD", description = "Field naming the rater (default: rater).")
  private String raterField;

  @Option(names = "--label", paramLabel = "FIELD", description = "Field holding the label (default: label).")
  private String labelField;

  @Option(
      names = "--group-a",
      paramLabel = "PATTERN",
      description =
          "Raters of group A: a glob (annotator*, {gpt-4,claude}) or regex:<java regex>; matches the whole name.")
  private String groupA;

  @Option(names = "--group-b", paramLabel = "PATTERN", description = "Raters of group B (same syntax).")
  private String groupB;

  @Option(
      names = "--raters",
      paramLabel = "PATTERN",
      description = "Use only the votes of raters matching PATTERN (default: all).")
  private String raters;

  @Option(
      names = "--where",
      paramLabel = "FIELD=VALUE",
      description =
          "Read only the rows whose FIELD has VALUE (repeatable: every condition must hold); numbers match by value"
              + " (turn=1 matches 1.0). A row without FIELD is an error. With --import, the fields of each element.")
  private List<String> where;

  @Option(
      names = "--map-label",
      paramLabel = "PATTERN=LABEL",
      description =
          "Give the labels matching PATTERN (a glob such as 'tie*', or regex:<java regex>; the whole label) the"
              + " label LABEL before any statistic (repeatable; the first matching rule wins). An empty PATTERN"
              + " (=LABEL) gives a missing label (null, absent, empty) a value. With --import llmbar, none=2 counts"
              + " a null verdict as output 2, as LLMBar's kappa_agreement does.")
  private List<String> mapLabels;

  @Option(
      names = "--exclude-label",
      paramLabel = "VALUE",
      description = "Leave out votes with this label (repeatable); see --exclude-scope.")
  private List<String> excludeLabels;

  @Option(
      names = "--exclude-scope",
      paramLabel = "vote|item",
      defaultValue = "vote",
      description =
          "vote (default): drop only the votes with an excluded label; item: drop every vote on an item that has"
              + " one.")
  private String excludeScope;

  @Option(
      names = "--level",
      paramLabel = "LEVEL",
      defaultValue = "nominal",
      description = "nominal (default), ordinal, interval or ratio.")
  private String level;

  @Option(
      names = "--order",
      split = ",",
      paramLabel = "LABEL",
      description = "Text labels in order, lowest first (bad,ok,good), for the ordinal level.")
  private List<String> order;

  @Option(
      names = "--keep-last",
      description =
          "When a rater rated an item twice, keep the later vote (default: fail, naming both lines). Checked"
              + " among the raters --raters keeps.")
  private boolean keepLast;

  @Option(
      names = "--max-matrix-raters",
      paramLabel = "N",
      defaultValue = "20",
      description = "Compute per-pair kappas up to N raters (default 20).")
  private int maxMatrixRaters;

  @Option(names = "--json", description = "Print the report as JSON (sorted keys) instead of text.")
  private boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AgreementOptions options;
    ImportFormat source;
    LongFormatReader.Format syntax;
    LongFormatReader.Fields fields;
    RowFilter rows;
    LabelMap labels;
    try {
      options = options();
      source = importFormat == null ? null : ImportFormat.parse(importFormat);
      if (source != null && (format != null || itemFields != null || raterField != null || labelField != null)) {
        throw new IllegalArgumentException(
            "--import reads the file's own fields; --format, --item, --rater and --label do not apply");
      }
      syntax = source != null || format == null ? null : format(format);
      rows = where == null ? RowFilter.ALL : RowFilter.parse(where);
      labels = mapLabels == null ? LabelMap.NONE : LabelMap.parse(mapLabels);
      fields =
          new LongFormatReader.Fields(
              itemFields == null ? List.of("item") : itemFields,
              raterField == null ? "rater" : raterField,
              labelField == null ? "label" : labelField);
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage());
    }
    try {
      if (Files.isDirectory(file)) {
        // Said plainly: "cannot tell the format" (or "Is a directory") sent users looking at the file name.
        throw new InputException(
            file.toString(), 0, null,
            source == null
                ? "is a folder; give a .jsonl or .csv file"
                : "is a folder; give the .json file (" + switch (source) {
                    case PANDALM -> "PandaLM's data/testset-v1.json";
                    case LLMBAR -> "an LLMBar evaluators/<judge>/<strategy>/result.json";
                  } + ")");
      }
      Ratings ratings =
          source != null
              ? source.read(file, rows, labels)
              : LongFormatReader.read(
                  file, syntax != null ? syntax : LongFormatReader.Format.of(file), fields, rows, labels);
      AgreementReport report = AgreementReport.compute(ratings, options);
      out.print(json ? Json.pretty(report) : AgreementReportText.render(report));
      out.flush();
      return 0;
    } catch (InputException e) {
      return fail(err, e.getMessage());
    }
  }

  private AgreementOptions options() {
    if ((groupA == null) != (groupB == null)) {
      throw new IllegalArgumentException("--group-a and --group-b go together");
    }
    if (maxMatrixRaters < 0) {
      throw new IllegalArgumentException("--max-matrix-raters must be >= 0");
    }
    AgreementOptions o =
        AgreementOptions.defaults()
            .withLevel(MeasurementLevel.parse(level))
            .withOrder(order == null ? List.of() : order)
            .withExcluded(excludeLabels == null ? List.of() : excludeLabels, ExcludeScope.parse(excludeScope))
            .withMaxMatrixRaters(maxMatrixRaters)
            .withDuplicates(keepLast ? Ratings.Duplicates.KEEP_LAST : Ratings.Duplicates.ERROR);
    if (raters != null) {
      o = o.withRaters(RaterPattern.parse(raters));
    }
    if (groupA != null) {
      o = o.withGroups(RaterPattern.parse(groupA), RaterPattern.parse(groupB));
    }
    return o;
  }

  private static LongFormatReader.Format format(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "jsonl" -> LongFormatReader.Format.JSONL;
      case "csv" -> LongFormatReader.Format.CSV;
      default -> throw new IllegalArgumentException("unknown --format '" + name + "' (expected jsonl or csv)");
    };
  }

  private static int fail(PrintWriter err, String message) {
    err.println("assay: " + message);
    err.flush();
    return 2;
  }
}
