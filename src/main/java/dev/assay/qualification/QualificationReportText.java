package dev.assay.qualification;

import java.util.Locale;
import java.util.Map;

/** Renders a {@link QualificationResult} as aligned text for a person; every ratio with its counts. */
public final class QualificationReportText {
  private QualificationReportText() {}

  public static String render(QualificationResult r) {
    QualificationFigures f = r.figures();
    StringBuilder sb = new StringBuilder();
    if (r.replay() != null) {
      sb.append(r.replay()).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "judge qualification: %s (model %s, template %s, %s, %s order%s, parse rule %s)%n",
        r.judge(), r.model(), r.template(), r.kind().wire(), r.orders(), r.orders().equals("both") ? "s" : "", r.parseRule()));
    sb.append(String.format(Locale.ROOT, "set: %s: %d items (%d with decisive gold, %d tie gold, %d without a majority)%n",
        r.set(), f.items(), f.decisiveGold(), f.tieGold(), f.noGold()));
    StringBuilder st = new StringBuilder();
    for (Map.Entry<String, Long> e : new java.util.TreeMap<>(r.statuses()).entrySet()) {
      st.append(st.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
    }
    sb.append("judgments: ").append(st).append('\n');
    for (String failure : r.failures()) {
      sb.append("  failed: ").append(failure).append('\n');
    }
    long correct = f.orders().stream().mapToLong(QualificationFigures.OrderFigures::correct).sum();
    long asked = f.orders().stream().mapToLong(QualificationFigures.OrderFigures::decisive).sum();
    sb.append(String.format(Locale.ROOT, "accuracy on decisive gold%s: %s%n",
        f.orders().size() > 1 ? " (orders pooled)" : "", ratio(correct, asked)));
    for (QualificationFigures.OrderFigures o : f.orders()) {
      sb.append(String.format(Locale.ROOT, "  %-15s %s   no verdict %d, ties %d%n",
          o.order(), ratio(o.correct(), o.decisive()), o.noVerdict(), o.ties()));
    }
    if (f.correctBoth() != null) {
      sb.append(String.format(Locale.ROOT, "  right in both orders: %s%n", ratio(f.correctBoth(), f.decisiveGold())));
      sb.append(String.format(Locale.ROOT,
          "position consistency: same verdict in both orders %s (two missing verdicts count as the same)%n",
          ratio(f.sameVerdict(), f.items())));
    }
    if (f.tieGold() > 0) {
      sb.append("tie gold (not in the accuracy):");
      for (QualificationFigures.OrderFigures o : f.orders()) {
        sb.append(String.format(Locale.ROOT, " %s said tie on %d of %d;", o.order(), o.tieGoldSaidTie(), o.tieGold()));
      }
      sb.setLength(sb.length() - 1);
      sb.append('\n');
    }
    if (!f.agreement().isEmpty()) {
      sb.append("agreement with human raters (Cohen's kappa over items with a judge verdict; labels 1, 2, 0 = tie):\n");
      for (QualificationFigures.RaterAgreement a : f.agreement()) {
        sb.append(String.format(Locale.ROOT, "  %-12s %-15s kappa %s   agreeing %s%n", a.rater(), a.order(),
            a.kappa() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", a.kappa()), ratio(a.agreeing(), a.items())));
      }
    }
    QualificationFigures.LengthProbe l = f.length();
    sb.append(String.format(Locale.ROOT, "length probe: verdicts for the longer output %s; gold for the longer output %s%n",
        ratio(l.forLonger(), l.verdicts()), ratio(l.goldForLonger(), l.goldDecisive())));
    if (r.gate() != null) {
      sb.append(r.gate().line()).append('\n');
    }
    return sb.toString();
  }

  private static String ratio(long num, long den) {
    return den == 0 ? num + " / 0 (n/a)" : String.format(Locale.ROOT, "%d / %d = %.4f", num, den, (double) num / den);
  }
}
