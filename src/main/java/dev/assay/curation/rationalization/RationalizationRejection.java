package dev.assay.curation.rationalization;

import dev.assay.judging.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * An item that yielded no judge pair, with the evidence: written to {@code rejected/}. Disagreements are evidence
 * about the judge, not garbage, so the item's ok scores travel with the reason.
 *
 * @param itemId the judged item
 * @param reason why there is no pair
 * @param detail one human-readable sentence, e.g. {@code "ok scores [4, 4, 4] all within 0 of gold 4"}
 * @param judge the judge whose samples these are, or null when the item had no judgments
 * @param gold the gold or pseudo-gold score when one was established, else null (always null for a pairwise judge)
 * @param okScores the scores of the ok samples, in sample order (empty for a pairwise judge)
 * @param samples the item's judgments of every status
 * @param iteration the training iteration t
 * @param runId the run id from the manifest
 * @param goldVerdict a pairwise judge's majority verdict when one was established, else null
 * @param okVerdicts a pairwise judge's ok verdicts, in sample order; null for an absolute judge
 */
public record RationalizationRejection(
    String itemId,
    RationalizationReason reason,
    String detail,
    String judge,
    Integer gold,
    List<Integer> okScores,
    int samples,
    int iteration,
    String runId,
    Verdict goldVerdict,
    List<Verdict> okVerdicts) {
  public RationalizationRejection {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(runId, "runId");
    detail = detail == null ? "" : detail;
    okScores = okScores == null ? List.of() : List.copyOf(okScores);
    okVerdicts = okVerdicts == null ? null : List.copyOf(okVerdicts);
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0: " + samples);
    }
  }

  /** The rejection of an absolute judge's item: no verdicts. */
  public RationalizationRejection(
      String itemId, RationalizationReason reason, String detail, String judge, Integer gold, List<Integer> okScores,
      int samples, int iteration, String runId) {
    this(itemId, reason, detail, judge, gold, okScores, samples, iteration, runId, null, null);
  }

  /** This rejection with another reason and detail: a built pair dropped later (position balance). */
  public RationalizationRejection because(RationalizationReason newReason, String newDetail) {
    return new RationalizationRejection(
        itemId, newReason, newDetail, judge, gold, okScores, samples, iteration, runId, goldVerdict, okVerdicts);
  }
}
