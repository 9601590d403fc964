package dev.assay.curation.filters;

import dev.assay.run.StageCount;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a prompt filter kept and what it removed; {@code in = kept + removed} by construction.
 *
 * @param kept the records that passed, in id order
 * @param removed one entry per removed record, in id order
 */
public record FilterResult<T>(List<T> kept, List<RemovedPrompt> removed) {
  public FilterResult {
    kept = List.copyOf(kept);
    removed = List.copyOf(removed);
  }

  /** The stage accounting: in, out (kept), rejected (removed) with counts per reason code; nothing fails. */
  public StageCount stageCount() {
    Map<String, Long> reasons = new TreeMap<>();
    for (RemovedPrompt r : removed) {
      reasons.merge(r.reason(), 1L, Long::sum);
    }
    return new StageCount(kept.size() + removed.size(), kept.size(), removed.size(), 0, reasons);
  }
}
