package dev.assay.ranking;

import dev.assay.generation.Candidate;

/**
 * Which policy a candidate of the ranking step comes from. Its id is the candidate's own id behind the side's prefix
 * ({@code current:p1/sim-m2/0}), so the two policies' responses never share an id even when both iterations named
 * their model alike, and every ranking judgment says on its face which side was shown first.
 */
public enum RankingSide {
  /** This iteration's policy. */
  CURRENT("current:"),
  /** The previous iteration's policy. */
  PREVIOUS("previous:");

  private final String prefix;

  RankingSide(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** {@code c} with its id behind this side's prefix. */
  public Candidate mark(Candidate c) {
    return new Candidate(
        prefix + c.id(), c.promptId(), c.prompt(), c.reference(), c.response(), c.model(), c.sample(), c.finishReason(), c.requestHash());
  }

  /**
   * The side of a ranking candidate id.
   *
   * @throws IllegalArgumentException when the id carries neither prefix (not a ranking judgment)
   */
  public static RankingSide of(String candidateId) {
    for (RankingSide side : values()) {
      if (candidateId.startsWith(side.prefix)) {
        return side;
      }
    }
    throw new IllegalArgumentException("not a ranking candidate id (no current:/previous: prefix): " + candidateId);
  }
}
