package dev.assay.judging;

import java.util.Objects;

/**
 * Samples {@code from} (inclusive) to {@code to} (exclusive) of one judging item: what one round of judging asks of
 * a judge for that item. A fixed-{@code n} judge asks {@code [0, n)} at once; an adaptive one asks {@code [0, n_min)}
 * and then more for the items still uncertain ({@link AdaptiveSampling}). Sample {@code i} is the same request
 * whichever round asks it, so rounds and fixed {@code n} share ledger entries.
 */
public record JudgeRequest(JudgeItem item, int from, int to) {
  public JudgeRequest {
    Objects.requireNonNull(item, "item");
    if (from < 0 || to <= from) {
      throw new IllegalArgumentException("samples must be a non-empty range [from, to): [" + from + ", " + to + ")");
    }
  }

  /** How many samples are asked. */
  public int samples() {
    return to - from;
  }
}
