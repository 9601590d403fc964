package dev.assay.qualification.filters;

import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link FilterAuditResult} for a person: the replay notices, the unfiltered baselines, one Markdown table
 * row per filter and primary (counts beside every ratio, gains in points with their interval), then the flags.
 */
public final class FilterAuditText {
  private FilterAuditText() {}

  public static String render(FilterAuditResult r) {
    StringBuilder sb = new StringBuilder();
    for (String n : r.notices()) {
      sb.append(n).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "filter audit on gold labels: %s%n", r.set()));
    sb.append(String.format(Locale.ROOT,
        "items %d: %d with decisive gold (the accuracy's denominator), %d gold ties (apart), %d without a majority%n",
        r.items(), r.decisiveGold(), r.tieGold(), r.noGold()));
    sb.append(String.format(Locale.ROOT,
        "voters replayed in %s order%s; a voter's verdict is its verdict with output 1 shown first; consensus k = %d of"
            + " %d, c = %s; gains: %d-replicate bootstrap over items, seed %d%n",
        r.orders(), r.orders().equals("both") ? "s" : "", r.k(), r.voters().size(), num(r.c()), r.replicates(), r.seed()));
    sb.append("\nunfiltered (each voter's own verdict on all items)\n\n");
    sb.append("| voter | model | accuracy | no verdict | said tie on gold ties |\n|---|---|---|---|---|\n");
    for (FilterAuditResult.Baseline b : r.voters()) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d of %d |%n", b.voter(), b.model(),
          ratio(b.correct(), r.decisiveGold(), b.accuracy()), b.noVerdict(), b.tieGoldSaidTie(), r.tieGold()));
    }
    sb.append("\nfilters (primary: the voter whose verdict picks the pair and is scored)\n\n");
    sb.append("| filter | primary | input | kept | rejected | retention | accuracy of input | accuracy kept"
        + " | accuracy rejected | gain over input [95%] | gain over unfiltered [95%] | gold ties kept / rejected |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (FilterAuditResult.FilterRow f : r.filters()) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s | %s | %s | %s | %s | %d / %d |%n",
          f.filter(), f.primary(), f.input(), f.kept(), f.rejected(), pct(f.retention()), pct(f.accuracyInput()),
          ratio(f.keptCorrect(), f.keptDecisive(), f.accuracyKept()),
          ratio(f.rejectedCorrect(), f.rejectedDecisive(), f.accuracyRejected()), gain(f.gainOverInput()),
          gain(f.gainOverUnfiltered()), f.keptTieGold(), f.rejectedTieGold()));
    }
    StringBuilder reasons = new StringBuilder();
    for (FilterAuditResult.FilterRow f : r.filters()) {
      if (!f.rejectReasons().isEmpty()) {
        reasons.append("  ").append(f.filter()).append(", primary ").append(f.primary()).append(':');
        for (Map.Entry<String, Long> e : f.rejectReasons().entrySet()) {
          reasons.append(' ').append(e.getKey()).append(' ').append(e.getValue()).append(',');
        }
        reasons.setLength(reasons.length() - 1);
        reasons.append('\n');
      }
    }
    if (reasons.length() > 0) {
      sb.append("\nconsensus rejections by reason\n").append(reasons);
    }
    StringBuilder flags = new StringBuilder();
    for (FilterAuditResult.FilterRow f : r.filters()) {
      if (f.flag() != null) {
        flags.append("  ").append(f.filter()).append(", primary ").append(f.primary()).append(": ").append(f.flag()).append('\n');
      }
    }
    sb.append(flags.length() == 0 ? "\nevery filter's gain over its input lies above zero\n" : "\nflagged (interval includes zero or is negative):\n" + flags);
    return sb.toString();
  }

  private static String ratio(long num, long den, Double value) {
    return den == 0 ? "n/a (0 of 0)" : String.format(Locale.ROOT, "%s (%d/%d)", pct(value), num, den);
  }

  private static String pct(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String gain(FilterAuditResult.Gain g) {
    if (g.estimate() == null || g.lower() == null) {
      return g.estimate() == null ? "n/a" : String.format(Locale.ROOT, "%+.1f [n/a]", 100 * g.estimate());
    }
    return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", 100 * g.estimate(), 100 * g.lower(), 100 * g.upper());
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
