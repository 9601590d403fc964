package dev.assay.qualification.filters;

/**
 * A filter the gold audit replays. Each applies to the primary voter's verdict on an item (with output 1 shown first,
 * the verdict one call gives) and keeps or rejects the item.
 */
public enum AuditedFilter {
  /** Assay's consensus rule: k of the m voters agree with the primary's pick ({@code ConsensusDecision}). */
  CONSENSUS("consensus", null),
  /** Position consistency: the primary gives the same decisive verdict in both presentation orders. */
  CONSISTENCY("consistency", null),
  /** Consistency applied to what consensus kept: its input is consensus's output, as the stages chain in a run. */
  CONSENSUS_THEN_CONSISTENCY("consensus + consistency", CONSENSUS);

  private final String label;
  private final AuditedFilter input;

  AuditedFilter(String label, AuditedFilter input) {
    this.label = label;
    this.input = input;
  }

  /** The name printed in reports. */
  public String label() {
    return label;
  }

  /** The filter whose output this one filters, or null when it filters the unfiltered set. */
  public AuditedFilter input() {
    return input;
  }

  /** Whether it needs verdicts in both presentation orders. */
  public boolean needsBothOrders() {
    return this != CONSENSUS;
  }
}
