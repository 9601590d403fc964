package dev.assay.judging;

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
