package dev.assay.curation.rationalization;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Verdict;

/**
 * What self-rationalization compares among one item's samples, for both kinds of judge: the item a judgment is about
 * and its result as one integer, so that {@link PseudoGold}, {@link TieBreak}, the pair rule and
 * {@link RationalizationMetrics} serve absolute and pairwise judges alike.
 *
 * <p><b>Absolute</b>: the item is the judged candidate ({@code candidateA}), the label its score. <b>Pairwise</b>: the
 * item is the ordered pair as the judge saw it, {@code candidateA|candidateB} (the key {@code SampleAgreement} uses),
 * so the two seat orders of a pair are two items, each with its own majority; the label is the verdict as a preference
 * for the response shown first: {@code A = 1}, {@code tie = 0}, {@code B = -1}. On that scale a verdict's distance
 * from the majority is 2 for the opposite seat and 1 for a tie, so the pair rule's "furthest from gold" rejects the
 * opposite verdict before a tie, and a label of 1 or -1 in a judge pair's {@code chosenScore} names the chosen seat.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for the label of a judgment that is not ok (it has none) and for
 * a label outside the verdict scale.
 */
public final class JudgmentLabel {
  /** The label of verdict A (the response shown first is better). */
  public static final int A = 1;

  /** The label of a tie. */
  public static final int TIE = 0;

  /** The label of verdict B (the response shown second is better). */
  public static final int B = -1;

  private JudgmentLabel() {}

  /** The item a judgment is about: {@code candidateA} (absolute) or {@code candidateA|candidateB} (pairwise). */
  public static String item(Judgment j) {
    return j.kind() == JudgmentKind.PAIRWISE ? pairItem(j.candidateA(), j.candidateB()) : j.candidateA();
  }

  /** The item key of the ordered pair (first shown, second shown). */
  public static String pairItem(String first, String second) {
    return first + "|" + second;
  }

  /**
   * The label of an ok judgment: its score, or its verdict on the scale A = 1, tie = 0, B = -1.
   *
   * @throws IllegalArgumentException for a judgment that is not ok
   */
  public static int of(Judgment j) {
    if (j.status() != JudgmentStatus.OK) {
      throw new IllegalArgumentException("judgment " + j.id() + " is " + j.status().wire() + " and has no label");
    }
    if (j.kind() == JudgmentKind.ABSOLUTE) {
      return j.score();
    }
    return switch (j.verdict()) {
      case A -> A;
      case TIE -> TIE;
      case B -> B;
    };
  }

  /**
   * The verdict a pairwise label stands for.
   *
   * @throws IllegalArgumentException for any other integer than 1, 0 and -1
   */
  public static Verdict verdict(int label) {
    return switch (label) {
      case A -> Verdict.A;
      case TIE -> Verdict.TIE;
      case B -> Verdict.B;
      default -> throw new IllegalArgumentException("not a verdict label (1 = A, 0 = tie, -1 = B): " + label);
    };
  }
}
