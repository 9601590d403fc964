package dev.assay.rewards.pairwise;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How often a pairwise judge's verdict followed the position instead of the responses: the share of both-order
 * comparisons (the same pair and sample index judged as (x, y) and as (y, x), both ok) whose two verdicts preferred
 * different candidates. Reported for every pairwise judge (DESIGN section 2, "Position bias"); a flip counts as a tie
 * in the {@code pairwise} reward model.
 *
 * <p>A judge that ignores the responses and always answers A flips on every comparison (rate 1); an ideal judge never
 * flips. Ties do not count as flips (a tie in one order is not a verdict that followed the position) but they are in
 * the denominator. Failure mode: {@link IllegalArgumentException} for negative counts or more flips plus ties than
 * comparisons. Serializable because Beam keeps the zero count as the default of its global combine.
 *
 * @param judge the pairwise judge
 * @param comparisons both-order comparisons with both verdicts ok
 * @param flips comparisons whose two verdicts preferred different candidates
 * @param ties comparisons with a tie verdict in at least one order (not flips)
 */
public record FlipRate(String judge, long comparisons, long flips, long ties) implements Serializable {
  public FlipRate {
    Objects.requireNonNull(judge, "judge");
    if (comparisons < 0 || flips < 0 || ties < 0 || flips + ties > comparisons) {
      throw new IllegalArgumentException(
          "need 0 <= flips + ties <= comparisons: " + flips + " + " + ties + " / " + comparisons);
    }
  }

  /** No comparisons yet. */
  public static FlipRate none(String judge) {
    return new FlipRate(judge, 0, 0, 0);
  }

  /** flips / comparisons; NaN when there was no both-order comparison. */
  public double rate() {
    return comparisons == 0 ? Double.NaN : (double) flips / comparisons;
  }

  /** The sum of two counts of the same judge. */
  public FlipRate plus(FlipRate other) {
    if (!judge.equals(other.judge)) {
      throw new IllegalArgumentException("cannot add flip counts of " + judge + " and " + other.judge);
    }
    return new FlipRate(judge, comparisons + other.comparisons, flips + other.flips, ties + other.ties);
  }

  /**
   * The flip rate of {@code judge} over a list of judgments, without a pipeline: the same pairing as
   * {@link ScoreWithPairwiseJudge}. Judgments of other judges and absolute ones are ignored.
   */
  public static FlipRate of(String judge, Iterable<Judgment> judgments) {
    Map<String, List<PairwiseVotes.Verdicts>> byPrompt = new TreeMap<>();
    for (Judgment j : judgments) {
      if (j.judge().equals(judge) && j.kind() == JudgmentKind.PAIRWISE) {
        byPrompt.computeIfAbsent(j.itemId(), k -> new ArrayList<>()).add(PairwiseVotes.Verdicts.of(j));
      }
    }
    FlipRate total = none(judge);
    for (List<PairwiseVotes.Verdicts> prompt : byPrompt.values()) {
      PairwiseVotes.Result r = PairwiseVotes.vote(judge, prompt);
      total = total.plus(new FlipRate(judge, r.comparisons(), r.flips(), r.ties()));
    }
    return total;
  }
}
