package dev.assay.curation.rationalization;

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
 * @param gold the gold or pseudo-gold score when one was established, else null
 * @param okScores the scores of the ok samples, in sample order
 * @param samples the item's judgments of every status
 * @param iteration the training iteration t
 * @param runId the run id from the manifest
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
    String runId) {
  public RationalizationRejection {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(runId, "runId");
    detail = detail == null ? "" : detail;
    okScores = okScores == null ? List.of() : List.copyOf(okScores);
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be >= 0: " + samples);
    }
  }
}
