package dev.assay.agreement;

import dev.assay.agreement.AgreementReport.AlphaFigure;
import dev.assay.agreement.AgreementReport.Comparison;
import dev.assay.agreement.AgreementReport.CorrelationFigure;
import dev.assay.agreement.AgreementReport.Counts;
import dev.assay.agreement.AgreementReport.Exclusion;
import dev.assay.agreement.AgreementReport.FleissFigure;
import dev.assay.agreement.AgreementReport.Group;
import dev.assay.agreement.AgreementReport.KappaFigure;
import dev.assay.agreement.AgreementReport.PercentFigure;
import dev.assay.agreement.AgreementReport.RaterPair;
import dev.assay.io.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders an {@link AgreementReport} for a person: aligned columns, every ratio followed by the counts it was
 * computed from, "n/a" for an undefined value, and the notes at the end. Text labels, rater names and rules are
 * listed in double quotes (JSON escapes), so a comma inside one is not read as a separator; numbers are plain.
 * Ratios have four decimals (published figures have two or three); the JSON form keeps full precision.
 */
public final class AgreementReportText {
  private AgreementReportText() {}

  /** The report as lines of text, ending with a newline. */
  public static String render(AgreementReport report) {
    StringBuilder out = new StringBuilder();
    Counts c = report.counts();
    List<List<String>> head = new ArrayList<>();
    head.add(List.of("ratings", report.source()));
    if (report.where() != null) {
      head.add(
          List.of(
              "where",
              quoted(report.where()) + ": " + count(c.rowsLeftOut(), "row", "rows") + " left out"));
    }
    if (report.mapLabels() != null) {
      head.add(
          List.of(
              "labels mapped",
              quoted(report.mapLabels()) + ": " + count(c.labelsMapped(), "vote", "votes")));
    }
    head.add(
        List.of(
            "level",
            report.level().id() + "; labels compared as " + (report.numericLabels() ? "numbers" : "text") + ": "
                + (report.numericLabels() ? String.join(", ", report.categories()) : quoted(report.categories()))));
    head.add(
        List.of(
            "votes",
            c.votes() + " used of " + c.votesRead() + " read; " + c.items() + " items (" + c.pairableItems()
                + " with two or more votes); " + c.raters() + " raters"
                + (c.duplicatesReplaced() > 0 ? "; " + c.duplicatesReplaced() + " repeated votes replaced" : "")));
    Exclusion x = report.exclusion();
    if (x != null) {
      head.add(
          List.of(
              "left out",
              "label " + quoted(x.labels()) + " (per " + x.scope().id() + "): " + x.votes() + " votes, "
                  + x.itemsAffected() + " items affected, " + x.itemsDropped() + " items dropped"));
    }
    table(out, "", head);

    out.append("\nAmong all raters\n");
    List<List<String>> all = new ArrayList<>();
    PercentFigure p = report.allRaters().percentAgreement();
    all.add(
        List.of(
            "percent agreement", number(p.ratio()),
            p.agreeing() + " of " + p.pairs() + " pairs of votes agree, " + p.items() + " items"));
    FleissFigure f = report.allRaters().fleissKappa();
    all.add(
        List.of(
            "Fleiss' kappa", number(f.kappa()),
            f.note() != null && f.kappa() == null
                ? f.note()
                : f.items() + " items x " + f.votesPerItem() + " votes, " + f.categories() + " categories"));
    AlphaFigure a = report.allRaters().krippendorffAlpha();
    all.add(
        List.of(
            "Krippendorff's alpha", number(a.alpha()),
            a.level().id() + ", " + (a.note() != null && a.alpha() == null
                ? a.note()
                : a.pairableVotes() + " votes in " + a.pairableItems() + " items with two or more")));
    table(out, "  ", all);

    if (report.groups() != null) {
      Group ga = report.groups().a();
      Group gb = report.groups().b();
      out.append('\n');
      table(
          out, "",
          List.of(
              List.of("Group A", ga.pattern(), members(ga)),
              List.of("Group B", gb.pattern(), members(gb))));
      table(out, "  ", comparisonRows(report.groups().comparison()));
    }

    if (report.raterPairs() != null && !report.raterPairs().isEmpty()) {
      out.append("\nCohen's kappa per pair of raters (unweighted; pairs of votes in brackets)\n");
      matrix(out, report.raterPairs(), r -> number(r.cohenKappa().kappa()) + " (" + r.pairs() + ")");
      out.append("\nPercent agreement per pair of raters (agreeing / pairs of votes)\n");
      matrix(out, report.raterPairs(), r -> number(r.percentAgreement()) + " (" + r.agreeing() + "/" + r.pairs() + ")");
    }

    if (!report.notes().isEmpty()) {
      out.append("\nNotes\n");
      for (String note : report.notes()) {
        out.append("  - ").append(note).append('\n');
      }
    }
    return out.toString();
  }

  private static String members(Group g) {
    return g.raters().size() + (g.raters().size() == 1 ? " rater: " : " raters: ") + quoted(g.raters())
        + "; " + g.votes() + " votes";
  }

  private static List<List<String>> comparisonRows(Comparison c) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "percent agreement", number(c.percentAgreement()),
            c.agreeing() + " of " + c.pairs() + " pairs of votes agree, " + c.items() + " items"));
    for (KappaFigure k : new KappaFigure[] {c.cohenKappa(), c.cohenKappaLinear(), c.cohenKappaQuadratic()}) {
      if (k != null) {
        rows.add(
            List.of(
                "Cohen's kappa", number(k.kappa()),
                k.weighting() + ", " + c.pairs() + " pairs, " + k.categories() + " categories"
                    + (k.standardError() == null ? "" : ", SE " + number(k.standardError()))));
      }
    }
    addCorrelation(rows, "Kendall's tau-b", c.kendallTauB());
    addCorrelation(rows, "Spearman's rho", c.spearman());
    addCorrelation(rows, "Pearson's r", c.pearson());
    return rows;
  }

  private static void addCorrelation(List<List<String>> rows, String name, CorrelationFigure r) {
    if (r != null) {
      rows.add(
          List.of(
              name, number(r.coefficient()),
              r.n() + " pairs" + (r.pValue() == null ? "" : String.format(Locale.ROOT, ", p = %.3g", r.pValue()))));
    }
  }

  private static void matrix(
      StringBuilder out, List<RaterPair> pairs, java.util.function.Function<Comparison, String> cell) {
    LinkedHashSet<String> rowNames = new LinkedHashSet<>();
    LinkedHashSet<String> columnNames = new LinkedHashSet<>();
    Map<String, String> cells = new HashMap<>();
    for (RaterPair pair : pairs) {
      rowNames.add(pair.raterA());
      columnNames.add(pair.raterB());
      cells.put(pair.raterA() + "\u0000" + pair.raterB(), cell.apply(pair.comparison()));
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    header.add("");
    header.addAll(columnNames);
    rows.add(header);
    for (String r : rowNames) {
      List<String> row = new ArrayList<>();
      row.add(r);
      for (String col : columnNames) {
        row.add(cells.getOrDefault(r + "\u0000" + col, ""));
      }
      rows.add(row);
    }
    table(out, "  ", rows);
  }

  /** Left-aligned columns separated by three spaces; trailing spaces trimmed. */
  private static void table(StringBuilder out, String indent, List<List<String>> rows) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(width[i] - row.get(i).length() + 3));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /**
   * Names (labels, raters, rules) as a list a reader cannot misread: each in double quotes, escaped as in JSON, so
   * that a comma inside a label is not taken for a separator.
   */
  private static String quoted(List<String> names) {
    return names.stream().map(Json::line).collect(Collectors.joining(", "));
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String number(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
