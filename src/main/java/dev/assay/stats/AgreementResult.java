package dev.assay.stats;

/**
 * Raw agreement: how many of {@code total} comparisons agreed. The ratio is derived, never stored, so the counts
 * and the ratio cannot disagree in a report.
 *
 * @param agreeing comparisons (items, or rater pairs within items) whose labels were equal
 * @param total comparisons made
 */
public record AgreementResult(long agreeing, long total) {
  public AgreementResult {
    if (total < 0 || agreeing < 0 || agreeing > total) {
      throw new IllegalArgumentException("need 0 <= agreeing <= total: " + agreeing + " / " + total);
    }
  }

  /** {@code agreeing / total}; NaN when total is 0 (an empty bucket of a report has no rate). */
  public double ratio() {
    return total == 0 ? Double.NaN : (double) agreeing / total;
  }

  /** {@link #ratio()} times 100. */
  public double percent() {
    return 100.0 * ratio();
  }

  /** The counts of this and {@code other} together (the pooled rate, not the mean of two rates). */
  public AgreementResult plus(AgreementResult other) {
    return new AgreementResult(agreeing + other.agreeing, total + other.total);
  }

  @Override
  public String toString() {
    return agreeing + "/" + total + (total == 0 ? "" : String.format(" (%.2f%%)", percent()));
  }
}
