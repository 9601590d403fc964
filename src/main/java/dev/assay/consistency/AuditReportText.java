package dev.assay.consistency;

import dev.assay.consistency.AuditReport.Distribution;
import dev.assay.consistency.AuditReport.FlipRate;
import dev.assay.consistency.AuditReport.Gate;
import dev.assay.consistency.AuditReport.KappaFigure;
import dev.assay.consistency.AuditReport.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders an {@link AuditReport} for a person: every ratio followed by the counts it came from, "n/a" for an
 * undefined value, the prompts with the lowest C(x) first (at most {@value #PROMPTS_SHOWN}; the JSON form lists
 * all). Ratios have four decimals; the JSON form keeps full precision.
 */
public final class AuditReportText {
  /** Prompts listed in the text form. */
  public static final int PROMPTS_SHOWN = 20;

  private AuditReportText() {}

  /** The report as lines of text, ending with a newline. */
  public static String render(AuditReport r) {
    StringBuilder out = new StringBuilder(r.on().equals("anchor")
        ? "Consistency audit on the anchor set (the same responses judged by both iterations' judges)\n"
        : "Consistency audit\n");
    side(out, "current ", r.current());
    side(out, "previous", r.previous());
    AuditReport.Matching m = r.matching();
    out.append(String.format(Locale.ROOT, "  matched   %d candidates judged in both, in %d prompts (current only %d,"
        + " previous only %d)%n", m.candidates(), m.prompts(), m.currentOnly(), m.previousOnly()));

    ConsistencySummary s = r.consistency();
    out.append("\nConsistency across iterations (CREAM)\n");
    out.append(String.format(Locale.ROOT, "  C                 %s   mean C(x) over %d defined prompts of %d%n",
        num(s.consistency()), s.defined(), s.measured()));
    out.append(String.format(Locale.ROOT, "  label_smoothing   %s   1 - C%n", num(s.labelSmoothing())));
    out.append(String.format(Locale.ROOT, "  mean tau-b        %s%n", num(s.meanTauB())));
    if (s.undefined() > 0) {
      List<String> reasons = new ArrayList<>();
      s.undefinedReasons().forEach((k, v) -> reasons.add(k + " " + v));
      out.append(String.format(Locale.ROOT, "  undefined         %d prompts: %s%n", s.undefined(),
          String.join(", ", reasons)));
    }
    StringBuilder hist = new StringBuilder();
    for (int i = 0; i < ConsistencySummary.BINS; i++) {
      hist.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%.1f:%d", i / 10.0, s.histogram().get(i)));
    }
    out.append("  C(x) histogram    ").append(hist).append('\n');

    List<PromptConsistency> prompts = new ArrayList<>(r.prompts());
    prompts.sort(AuditReport.lowestFirst());
    out.append(String.format(Locale.ROOT, "%nPer prompt, lowest C(x) first (%d of %d shown)%n",
        Math.min(PROMPTS_SHOWN, prompts.size()), prompts.size()));
    out.append(String.format(Locale.ROOT, "  %-24s %10s %8s %8s%n", "prompt", "candidates", "tau-b", "C(x)"));
    for (PromptConsistency p : prompts.subList(0, Math.min(PROMPTS_SHOWN, prompts.size()))) {
      out.append(String.format(Locale.ROOT, "  %-24s %10d %8s %8s%s%n", p.promptId(), p.candidates().size(),
          num(p.tauB()), num(p.consistency()), p.defined() ? "" : "   " + p.undefinedReason()));
    }

    out.append(String.format(Locale.ROOT, "%nAgreement of the rounded mean scores (%d candidates)%n",
        r.kappa().items()));
    kappa(out, r.kappa());
    kappa(out, r.kappaQuadratic());

    out.append("\nScore distribution (ok scores of the matched candidates)\n");
    TreeSet<Integer> scores = new TreeSet<>(r.scores().current().histogram().keySet());
    scores.addAll(r.scores().previous().histogram().keySet());
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-10s %6s %7s %7s", "", "n", "mean", "std"));
    for (int score : scores) {
      head.append(String.format(Locale.ROOT, " %6s", "[" + score + "]"));
    }
    out.append(head).append('\n');
    distribution(out, "current", r.scores().current(), scores);
    distribution(out, "previous", r.scores().previous(), scores);
    out.append(String.format(Locale.ROOT, "  mean shift %+.4f; total variation distance %.4f%n",
        r.scores().meanShift(), r.scores().totalVariation()));

    if (r.flipRates() != null) {
      out.append("\nPosition flips (pairwise judges, same pair and sample in both orders)\n");
      flips(out, "current", r.flipRates().current());
      flips(out, "previous", r.flipRates().previous());
    }

    Gate g = r.gate();
    if (g != null) {
      out.append('\n').append(gateLine(g)).append('\n');
    }
    return out.toString();
  }

  /** One line on the gate: passed, or failed with the shortfall. */
  public static String gateLine(Gate g) {
    if (g.consistency() == null) {
      return String.format(Locale.ROOT, "gate failed: consistency C is undefined (no prompt had two candidates ranked"
          + " apart by both iterations), so --min-consistency %.4f is not met", g.minConsistency());
    }
    if (g.passed()) {
      return String.format(Locale.ROOT, "gate passed: consistency C %.4f >= --min-consistency %.4f",
          g.consistency(), g.minConsistency());
    }
    return String.format(Locale.ROOT, "gate failed: consistency C %.4f is below --min-consistency %.4f by %.4f",
        g.consistency(), g.minConsistency(), g.shortfall());
  }

  private static void side(StringBuilder out, String label, Side s) {
    out.append(String.format(Locale.ROOT, "  %s  %s: judge %s, %d ok scores of %d candidates (%d judgments read)%n",
        label, s.file(), s.judge(), s.okScores(), s.candidates(), s.judgments()));
  }

  private static void kappa(StringBuilder out, KappaFigure k) {
    out.append(String.format(Locale.ROOT, "  Cohen's kappa   %s   %s, %d of %d equal, %d categories%s%n",
        num(k.kappa()), k.weighting(), k.agreeing(), k.items(), k.categories(),
        k.note() == null ? "" : " (" + k.note() + ")"));
  }

  private static void distribution(StringBuilder out, String label, Distribution d, TreeSet<Integer> scores) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-10s %6d %7.4f %7.4f", label, d.n(),
        d.mean(), d.std()));
    for (int score : scores) {
      line.append(String.format(Locale.ROOT, " %6d", d.histogram().getOrDefault(score, 0L)));
    }
    out.append(line).append('\n');
  }

  private static void flips(StringBuilder out, String label, Map<String, FlipRate> rates) {
    if (rates == null) {
      out.append(String.format(Locale.ROOT, "  %-9s no pairwise judgments%n", label));
      return;
    }
    rates.forEach((judge, f) -> out.append(String.format(Locale.ROOT,
        "  %-9s judge %s: %s   %d of %d comparisons followed the position%n", label, judge, num(f.rate()), f.flips(),
        f.comparisons())));
  }

  private static String num(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }
}
