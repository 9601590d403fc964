package dev.assay.judging;

import dev.assay.stats.KrippendorffAlpha;
import dev.assay.stats.KrippendorffAlpha.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a judge's N samples of the same request agree, and how often they parsed: the first numbers to look at before
 * trusting a judge.
 *
 * @param judge the judge's name
 * @param requests judgments sampled (all statuses)
 * @param ok judgments with a score or verdict
 * @param items requests (candidate or ordered pair) with at least two ok samples
 * @param unanimous items whose ok samples all agree
 * @param scoresByItem the ok scores (absolute) or verdict codes (pairwise: A=1, tie=2, B=3) per item, for agreement
 *     statistics over samples as raters
 */
public record SampleAgreement(
    String judge, long requests, long ok, long items, long unanimous, Map<String, List<Integer>> scoresByItem) {

  /** Share of judgments that parsed (ok / requests); NaN when there were none. */
  public double parseRate() {
    return requests == 0 ? Double.NaN : (double) ok / requests;
  }

  /** Share of items whose samples all agree; NaN when no item had two ok samples. */
  public double unanimousRate() {
    return items == 0 ? Double.NaN : (double) unanimous / items;
  }

  /**
   * Krippendorff's alpha over the items, the samples acting as raters: ordinal for absolute scores, nominal for
   * pairwise verdicts. NaN when it is undefined (no item with two ok samples, or a single value throughout).
   */
  public double alpha(JudgmentKind kind) {
    int raters = scoresByItem.values().stream().mapToInt(List::size).max().orElse(0);
    if (raters < 2) {
      return Double.NaN;
    }
    double[][] codersByUnits = new double[raters][scoresByItem.size()];
    int unit = 0;
    for (List<Integer> values : scoresByItem.values()) {
      for (int r = 0; r < raters; r++) {
        codersByUnits[r][unit] = r < values.size() ? values.get(r) : Double.NaN;
      }
      unit++;
    }
    Level level = kind == JudgmentKind.ABSOLUTE ? Level.ORDINAL : Level.NOMINAL;
    return KrippendorffAlpha.compute(codersByUnits, level).alpha();
  }

  /** Summarises the judgments of {@code judge} among {@code judgments}. */
  public static SampleAgreement of(String judge, List<Judgment> judgments) {
    long requests = 0;
    long ok = 0;
    Map<String, List<Integer>> byItem = new TreeMap<>();
    for (Judgment j : judgments) {
      if (!j.judge().equals(judge)) {
        continue;
      }
      requests++;
      if (j.status() != JudgmentStatus.OK) {
        continue;
      }
      ok++;
      String item = j.candidateA() + (j.candidateB() == null ? "" : "|" + j.candidateB());
      int value = j.kind() == JudgmentKind.ABSOLUTE ? j.score() : switch (j.verdict()) {
        case A -> 1;
        case TIE -> 2;
        case B -> 3;
      };
      byItem.computeIfAbsent(item, k -> new ArrayList<>()).add(value);
    }
    long items = 0;
    long unanimous = 0;
    for (List<Integer> values : byItem.values()) {
      if (values.size() < 2) {
        continue;
      }
      items++;
      if (values.stream().distinct().count() == 1) {
        unanimous++;
      }
    }
    return new SampleAgreement(judge, requests, ok, items, unanimous, byItem);
  }
}
