package dev.assay.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.consistency.AuditReport;
import dev.assay.io.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's parts about the recipe's {@code anchor:} step: per run, the anchor set and the self-preference of its
 * self-judges (from the manifest's {@code anchor}); across iterations, the drift of the judges on the anchor set for
 * every iteration, against iteration 1 and against the iteration before ({@link AuditReport} on the anchor set: C,
 * Cohen's kappa, the shift of the score distribution), beside each iteration's self-preference.
 *
 * <p>A run without an anchor step gets a note saying how to add one; a pair of iterations the audit cannot compare
 * (an iteration without anchor judgments) gets its reason in the table, never an error.
 */
final class DriftSection {
  private DriftSection() {}

  /** The per-run part: the anchor set and self-preference, or a note when the run had no anchor step. */
  static String run(RunData run) {
    JsonNode anchor = run.manifest().anchor();
    if (anchor == null || anchor.isNull()) {
      return "<p class=\"meta\">No anchor set: add an <code>anchor:</code> section to the recipe to follow the judge's"
          + " drift over iterations and measure its self-preference.</p>\n";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("<p class=\"meta\">Anchor set: ").append(anchor.path("size").asLong()).append(" responses (")
        .append(Html.esc(anchor.path("source").asText())).append("), judged by ")
        .append(Html.esc(String.join(", ", texts(anchor.path("judges"))))).append(".</p>\n");
    // Labelled by what the run is, not by its folder: a run's report must not change with where it was written.
    Integer iteration = run.manifest().iteration();
    String label = iteration == null ? "this run" : "iteration " + iteration;
    sb.append(selfPreferenceTable("self-preference", List.of(label), List.of(anchor)));
    return sb.toString();
  }

  /** The cross-iteration part: drift on the anchor set for every iteration, and self-preference per iteration. */
  static String across(List<String> labels, List<Path> folders, List<RunData> runs) {
    StringBuilder sb = new StringBuilder("<h2>Judge drift on the anchor set</h2>\n");
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < folders.size(); i++) {
      List<String> row = new ArrayList<>(List.of(labels.get(i)));
      row.addAll(compare(folders.get(i), folders.get(0)));
      row.addAll(i == 0 ? List.of("-", "-") : compare(folders.get(i), folders.get(i - 1)).subList(0, 2));
      rows.add(row);
    }
    sb.append(Html.table("drift-by-iteration",
        List.of("iteration", "C vs " + labels.get(0), "kappa (quadratic) vs " + labels.get(0),
            "mean score shift vs " + labels.get(0), "total variation vs " + labels.get(0), "C vs previous",
            "kappa (quadratic) vs previous"),
        rows));
    sb.append("<p class=\"meta\">Each iteration's judge re-judges the same anchor responses; C = mean over prompts of"
        + " (tau-b + 1) / 2 between two iterations' mean scores, kappa between their rounded mean scores. The same"
        + " figures for any two iterations: <code>./assay audit --current DIR --previous DIR</code>.</p>\n");
    List<JsonNode> anchors = new ArrayList<>();
    for (RunData r : runs) {
      anchors.add(r.manifest().anchor());
    }
    sb.append("<h2>Self-preference per iteration</h2>\n").append(selfPreferenceTable("self-preference-by-iteration", labels, anchors));
    return sb.toString();
  }

  /** C, quadratic kappa, mean shift and total variation of {@code current} against {@code previous} on the anchor set. */
  private static List<String> compare(Path current, Path previous) {
    try {
      AuditReport a = AuditReport.compute(current, previous, new AuditReport.Options(null, null, null, AuditReport.On.ANCHOR));
      return List.of(num(a.consistency().consistency()), num(a.kappaQuadratic().kappa()),
          String.format(Locale.ROOT, "%+.3f", a.scores().meanShift()), ReportWriter.fmt(a.scores().totalVariation()));
    } catch (InputException e) {
      String why = "not measured";
      return List.of(why, why, why, why);
    }
  }

  private static String selfPreferenceTable(String name, List<String> labels, List<JsonNode> anchors) {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < anchors.size(); i++) {
      JsonNode anchor = anchors.get(i);
      if (anchor == null || anchor.isNull()) {
        rows.add(List.of(labels.get(i), "-", "-", "no anchor set", "", ""));
        continue;
      }
      JsonNode measures = anchor.path("self_preference");
      if (!measures.isArray() || measures.isEmpty()) {
        rows.add(List.of(labels.get(i), "-", "-",
            "not measured: needs an anchor judge (anchor.judge) and a judge served by the policy's model", "", ""));
      }
      for (JsonNode sp : measures) {
        boolean defined = sp.hasNonNull("preference");
        rows.add(List.of(labels.get(i),
            sp.path("self_judge").asText() + " (" + sp.path("model").asText() + ")",
            sp.path("anchor_judge").asText(),
            defined
                ? String.format(Locale.ROOT, "%+.3f of the scale (%+.3f points)", sp.path("preference").asDouble(),
                    sp.path("points").asDouble())
                : "not measured: " + sp.path("note").asText(),
            defined
                ? String.format(Locale.ROOT, "[%+.3f, %+.3f]", sp.path("lower").asDouble(), sp.path("upper").asDouble())
                : "",
            sp.path("own").asLong() + " own / " + sp.path("others").asLong() + " other"));
      }
    }
    return Html.table(name, List.of("run", "self-judge", "anchor judge", "self-preference", "95% interval", "responses"),
            rows)
        + "<p class=\"meta\">Self-preference: the self-judge's mean score minus the anchor judge's on responses its own"
        + " model wrote, minus the same difference on other models' responses (a judge that is merely lenient shows"
        + " none); the interval is a bootstrap over responses.</p>\n";
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String num(Double v) {
    return v == null ? "n/a" : ReportWriter.fmt(v);
  }
}
