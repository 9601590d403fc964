package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.consistency.MeasureConsistency;
import dev.assay.judging.AdaptiveSampling.Known;
import dev.assay.judging.AdaptiveSampling.More;
import dev.assay.rewards.CandidateReward;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stopping rule of adaptive sampling, case by case (README, "Adaptive judge sampling"). */
class AdaptiveSamplingTest {
  private static final AdaptiveSampling RULE = new AdaptiveSampling(2, 5, 1, 1.0, 0.5);

  private static Known k(String id, Integer... scores) {
    return new Known(id, scores.length, List.of(scores));
  }

  @Test
  void separatedCandidatesNeedNothingMore() {
    // Means 5, 3, 1 with se = 0.5/sqrt(2) = 0.354: intervals [4.65, 5.35], [2.65, 3.35], [0.65, 1.35] do not touch.
    assertThat(RULE.next(List.of(k("a", 5, 5), k("b", 3, 3), k("c", 1, 1)), null), is(empty()));
  }

  @Test
  void aRivalOfTheBestIsAskedAgainWithTheBest() {
    // a (4.5) and b (4.0) could swap first place; c is clearly the worst (b's lower bound 3.65 is above c's 1.35).
    assertThat(
        RULE.next(List.of(k("a", 5, 4), k("b", 4, 4), k("c", 1, 1)), null),
        contains(new More("a", 2, 3), new More("b", 2, 3)));
  }

  @Test
  void aRivalOfTheWorstIsAskedAgainWithTheWorst() {
    assertThat(
        RULE.next(List.of(k("a", 5, 5), k("b", 2, 1), k("c", 1, 1)), null),
        contains(new More("b", 2, 3), new More("c", 2, 3)));
  }

  @Test
  void aMarginNearM0AsksTheBestAndTheWorstAgain() {
    // Best 3, worst 2: margin 1.0, se of the difference 0.5: |1.0 - 1.2| = 0.2 < 0.5 only with m0 given.
    List<Known> prompt = List.of(k("a", 3, 3), k("b", 2, 2));
    assertThat(RULE.next(prompt, null), is(empty()));
    assertThat(RULE.next(prompt, 1.2), contains(new More("a", 2, 3), new More("b", 2, 3)));
  }

  @Test
  void middleCandidatesThatCouldSwapAreAskedAgainOnlyWhenTheRankingFeedsConsistency() {
    // a (5) and d (1) are clearly first and last; b (3.5, se 0.5) and c (3, se 0.354) sit in the middle: no rule of
    // the chosen/rejected choice touches them, but |3.5 - 3| = 0.5 < 1.0 * sqrt(0.5² + 0.354²) = 0.612, so their order
    // (one of tau-b's six pairs) could still flip.
    List<Known> prompt = List.of(k("a", 5, 5), k("b", 3, 4), k("c", 3, 3), k("d", 1, 1));
    assertThat(RULE.next(prompt, null), is(empty()));
    assertThat(RULE.next(prompt, null, false), is(empty()));
    assertThat(RULE.next(prompt, null, true), contains(new More("b", 2, 3), new More("c", 2, 3)));
  }

  @Test
  void aWellSeparatedRankingNeedsNothingMoreForConsistency() {
    // Each neighbour 1 point apart with se 0.354: the difference's half-width is 0.5, so no pair could swap.
    assertThat(RULE.next(List.of(k("a", 5, 5), k("b", 4, 4), k("c", 2, 2), k("d", 1, 1)), null, true), is(empty()));
  }

  @Test
  void tiedMiddleCandidatesAreAskedAgainEvenAtZ0() {
    // Equal means are one pair tau-b counts as tied on this side, whatever z says; z = 0 asks nothing else.
    AdaptiveSampling exact = new AdaptiveSampling(2, 5, 1, 0.0, 0.5);
    List<Known> prompt = List.of(k("a", 5, 5), k("b", 3, 3), k("c", 3, 3), k("d", 1, 1));
    assertThat(exact.next(prompt, null, false), is(empty()));
    assertThat(exact.next(prompt, null, true), contains(new More("b", 2, 3), new More("c", 2, 3)));
  }

  /** Rule 3 narrow (z 0.3); z_rank 1.25 so that a 0.5-point gap at two samples is close. */
  private static final AdaptiveSampling NARROW = new AdaptiveSampling(2, 5, 1, 0.3, 0.5, 1.25);

  @Test
  void aMiddlePairWhoseOrderWouldMoveCxAcrossTheThresholdIsAskedAgainOnItsSide() {
    // Current: a 5, b 3.5 (se 0.5), c 3, d 1. |b - c| = 0.5 < 1.25 sqrt(0.5² + 0.354²) = 0.77: b and c are close.
    // Rules 1-3 at z 0.3 leave them alone (a and d are far from every rival).
    List<Known> current = List.of(k("a", 5, 5), k("b", 3, 4), k("c", 3, 3), k("d", 1, 1));
    assertThat(NARROW.next(current, null, false), is(empty()));
    // Previous ranks a > d > c > b: against the current ranking 3 pairs agree and 3 disagree, tau-b 0, C(x) 0.5 < 0.6.
    // Were c above b on the current side, 4 would agree: tau-b 1/3, C(x) 0.67, kept. So b and c are asked again.
    List<Known> crossing = List.of(k("a", 5, 5), k("b", 1, 1), k("c", 3, 3), k("d", 4, 4));
    AdaptiveSampling.Paired asked = AdaptiveSampling.nextPair(NARROW, current, null, NARROW, crossing, null, 0.6, false);
    assertThat(asked.current(), contains(new More("b", 2, 3), new More("c", 2, 3)));
    assertThat("the previous side's pairs are 1 point or more apart", asked.previous(), is(empty()));
    // Previous ranks a > c > b > d: only b-c disagrees, C(x) 0.83; with c above b it would be 1: the same close pair
    // is left alone because no order of it changes the filter's decision.
    List<Known> settled = List.of(k("a", 5, 5), k("b", 3, 3), k("c", 4, 4), k("d", 1, 1));
    AdaptiveSampling.Paired none = AdaptiveSampling.nextPair(NARROW, current, null, NARROW, settled, null, 0.6, false);
    assertThat(none.current(), is(empty()));
    assertThat(none.previous(), is(empty()));
  }

  @Test
  void aKeptPromptIsReaskedOnlyWhereItsPairIsCloseAtTheAwayWidth() {
    // Current a 5, b 3.5 (se 0.5), c 3 (se 0.354), d 1; previous b > a > d > c, a point or more apart: 4 pairs agree
    // and 2 disagree, tau-b 1/3, C(x) 0.67, kept. With b below c on the current side (away from agreement) only 3
    // would agree: C(x) 0.5, rejected. |b - c| = 0.5 is close at z_rank 1.25 (0.77) but not at z_rank_away 0.5
    // (0.31): a kept prompt is re-asked at the away width, narrower by default (1.0 and 0.5), because re-asking kept
    // prompts at the toward width lost more pairs than it found (BENCHMARKS.md, "Judge sampling").
    List<Known> current = List.of(k("a", 5, 5), k("b", 3, 4), k("c", 3, 3), k("d", 1, 1));
    List<Known> previous = List.of(k("a", 4, 4), k("b", 5, 5), k("c", 1, 1), k("d", 3, 3));
    AdaptiveSampling narrowAway = new AdaptiveSampling(2, 5, 1, 0.3, 0.5, 1.25, 0.5);
    AdaptiveSampling.Paired none = AdaptiveSampling.nextPair(narrowAway, current, null, narrowAway, previous, null, 0.6, false);
    assertThat(none.current(), is(empty()));
    assertThat(none.previous(), is(empty()));
    AdaptiveSampling wideAway = new AdaptiveSampling(2, 5, 1, 0.3, 0.5, 1.25, 1.25);
    AdaptiveSampling.Paired asked = AdaptiveSampling.nextPair(wideAway, current, null, wideAway, previous, null, 0.6, false);
    assertThat(asked.current(), contains(new More("b", 2, 3), new More("c", 2, 3)));
    assertThat(asked.previous(), is(empty()));
  }

  @Test
  void rule6AsksThePreviousSideToo() {
    // The roles swapped: the close pair (b, c) is on the previous side, and its order moves C(x) across 0.6.
    List<Known> current = List.of(k("a", 5, 5), k("b", 1, 1), k("c", 3, 3), k("d", 4, 4));
    List<Known> previous = List.of(k("a", 5, 5), k("b", 3, 4), k("c", 3, 3), k("d", 1, 1));
    AdaptiveSampling.Paired asked = AdaptiveSampling.nextPair(NARROW, current, null, NARROW, previous, null, 0.6, false);
    assertThat(asked.current(), is(empty()));
    assertThat(asked.previous(), contains(new More("b", 2, 3), new More("c", 2, 3)));
  }

  @Test
  void closePairsThatCrossOnlyTogetherAreAskedAgain() {
    // Current a 4, b 3.5, c 3, d 1: a-b and b-c are close (0.5 < 0.77), a-c is not (1.0 > 1.25 x 0.5). Previous
    // c > b > d > a, all a point or more apart: 2 pairs agree, 4 disagree, tau-b -1/3, C(x) 0.33. Either close pair
    // alone the previous side's way gives tau-b 0 (C(x) 0.5, still out); both together 4 agree, C(x) 0.67, kept.
    List<Known> current = List.of(k("a", 4, 4), k("b", 3, 4), k("c", 3, 3), k("d", 1, 1));
    List<Known> previous = List.of(k("a", 1, 1), k("b", 4, 4), k("c", 5, 5), k("d", 3, 3));
    AdaptiveSampling.Paired asked = AdaptiveSampling.nextPair(NARROW, current, null, NARROW, previous, null, 0.6, false);
    assertThat(asked.current(), contains(new More("a", 2, 3), new More("b", 2, 3), new More("c", 2, 3)));
    assertThat(asked.previous(), is(empty()));
  }

  @Test
  void jointRoundsLeaveTheBestAndTheWorstOfASideNoMarginReadsToRule6() {
    // Both sides rank a > b > c > d, C(x) 1, and no order of the close pair a-b brings it below 0.6: nothing is asked,
    // though alone at z 1.0 rule 1 would ask a and b again (b's interval reaches the best's): no side has a margin
    // threshold, so no decision reads either side's best and worst.
    AdaptiveSampling wide = new AdaptiveSampling(2, 5, 1, 1.0, 0.5, 1.25);
    List<Known> current = List.of(k("a", 5, 5), k("b", 4, 4), k("c", 2, 2), k("d", 1, 1));
    List<Known> previous = List.of(k("a", 5, 5), k("b", 4, 5), k("c", 2, 2), k("d", 1, 1));
    assertThat(wide.next(previous, null), contains(new More("a", 2, 3), new More("b", 2, 3)));
    AdaptiveSampling.Paired asked = AdaptiveSampling.nextPair(wide, current, null, wide, previous, null, 0.6, false);
    assertThat(asked.current(), is(empty()));
    assertThat(asked.previous(), is(empty()));
  }

  @Test
  void onTheSideAMarginReadsRules1And2GuardThePairAtZChoice() {
    // Current a 5 (se 0.354), b 4.5 (se 0.5), c 2, d 1; previous a > b > c > d, far apart: C(x) 1, and rule 6 asks
    // nothing (a-b is already ordered as the previous side orders it, and 0.5 is not close at z_rank_away 0.5).
    // Rule 3 is settled too (margin 4 against m0 0.5). With m0 given, the current side's best a and worst d are the
    // pair: at z_choice 1.0 b's interval reaches a's (4.5 + 0.5 >= 5 - 0.354) and both are asked again; at the default
    // 0.5 it does not (4.75 < 4.82). Without m0 nothing reads the pair and nothing is asked.
    List<Known> current = List.of(k("a", 5, 5), k("b", 4, 5), k("c", 2, 2), k("d", 1, 1));
    List<Known> previous = List.of(k("a", 5, 5), k("b", 4, 4), k("c", 2, 2), k("d", 1, 1));
    AdaptiveSampling wideChoice = new AdaptiveSampling(2, 5, 1, 1.0, 0.5, null, null, 1.0);
    AdaptiveSampling.Paired asked = AdaptiveSampling.nextPair(wideChoice, current, 0.5, RULE, previous, null, 0.6, false);
    assertThat(asked.current(), contains(new More("a", 2, 3), new More("b", 2, 3)));
    assertThat(asked.previous(), is(empty()));
    assertThat(AdaptiveSampling.nextPair(wideChoice, current, null, RULE, previous, null, 0.6, false).current(), is(empty()));
    assertThat(AdaptiveSampling.nextPair(RULE, current, 0.5, RULE, previous, null, 0.6, false).current(), is(empty()));
    // The previous side's z_choice applies when its m0 is given, the sides swapped.
    AdaptiveSampling.Paired swapped = AdaptiveSampling.nextPair(RULE, previous, null, wideChoice, current, 0.5, 0.6, false);
    assertThat(swapped.previous(), contains(new More("a", 2, 3), new More("b", 2, 3)));
    assertThat(swapped.current(), is(empty()));
  }

  @Test
  void eachSideKeepsRules3And4InJointRounds() {
    // Rule 3 (|1.0 - 1.1| < 0.3 x 0.5: the margin could fall below m0 1.1) and rule 4 (c never parsed), on the side
    // whose m0 is given.
    List<Known> margin = List.of(k("a", 3, 3), k("b", 2, 2), new Known("c", 2, List.of()));
    List<Known> clear = List.of(k("a", 5, 5), k("b", 1, 1), k("c", 3, 3));
    assertThat(AdaptiveSampling.nextPair(NARROW, margin, 1.1, NARROW, clear, null, 0.6, false).current(),
        contains(new More("a", 2, 3), new More("b", 2, 3), new More("c", 2, 3)));
    assertThat(AdaptiveSampling.nextPair(NARROW, margin, null, NARROW, clear, null, 0.6, false).current(),
        contains(new More("c", 2, 3)));
    AdaptiveSampling.Paired previousSide = AdaptiveSampling.nextPair(NARROW, clear, null, NARROW, margin, 1.1, 0.6, false);
    assertThat(previousSide.previous(), contains(new More("a", 2, 3), new More("b", 2, 3), new More("c", 2, 3)));
    assertThat(previousSide.current(), is(empty()));
  }

  @Test
  void theThresholdTestIsTheFiltersOwnComputationOfCx() {
    // passes() on pair signs must decide as the consistency filter decides on the means, ties and undefined included.
    java.util.Random random = new java.util.Random(16);
    MeasureConsistency filter = MeasureConsistency.filtering(0.6, false);
    MeasureConsistency keeping = MeasureConsistency.filtering(0.6, true);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 2 + random.nextInt(4);
      double[] cur = new double[n];
      double[] prev = new double[n];
      List<CandidateReward> curRewards = new java.util.ArrayList<>();
      List<CandidateReward> prevRewards = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        cur[i] = 1 + random.nextInt(3);
        prev[i] = 1 + random.nextInt(3);
        curRewards.add(new CandidateReward("cur", "p", "c" + i, cur[i], 1, 1, 0.0));
        prevRewards.add(new CandidateReward("prev", "p", "c" + i, prev[i], 1, 1, 0.0));
      }
      int[] cs = new int[n * (n - 1) / 2];
      int[] ps = new int[cs.length];
      int p = 0;
      for (int a = 0; a < n; a++) {
        for (int b = a + 1; b < n; b++) {
          cs[p] = (int) Math.signum(cur[a] - cur[b]);
          ps[p++] = (int) Math.signum(prev[a] - prev[b]);
        }
      }
      assertThat(AdaptiveSampling.passes(cs, ps, 0.6, false), is(filter.measure("p", curRewards, prevRewards).kept() != null));
      assertThat(AdaptiveSampling.passes(cs, ps, 0.6, true), is(keeping.measure("p", curRewards, prevRewards).kept() != null));
    }
  }

  @Test
  void nothingPastNMaxAndStepsCapAtIt() {
    AdaptiveSampling twoAtATime = new AdaptiveSampling(2, 5, 2, 1.0, 0.5);
    List<Known> prompt = List.of(new Known("a", 4, List.of(4, 4, 4, 4)), new Known("b", 5, List.of(4, 4, 4, 4, 4)));
    assertThat(twoAtATime.next(prompt, null), contains(new More("a", 4, 5)));
    assertThat(twoAtATime.rounds(), is(2));
  }

  @Test
  void aCandidateWithoutAnOkScoreIsAskedAgainButOneNeverAskedIsNot() {
    // "c" was asked twice and never parsed: nothing is known of it. "d" has no judgment at all (refused by the
    // budget cap): it is work not done, which a resume does, not an uncertain candidate.
    List<Known> prompt = List.of(k("a", 5, 5), k("b", 1, 1), new Known("c", 2, List.of()), new Known("d", 0, List.of()));
    assertThat(RULE.next(prompt, null), contains(new More("c", 2, 3)));
  }

  @Test
  void tiesGoToTheSmallerIdAsInConsensus() {
    // a and b tie at the top: both are asked again, whichever consensus would pick.
    assertThat(RULE.next(List.of(k("b", 4, 4), k("a", 4, 4), k("c", 1, 1)), null), contains(new More("a", 2, 3), new More("b", 2, 3)));
  }

  @Test
  void badSettingsAreRefusedWithTheKey() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> new AdaptiveSampling(3, 2, 1, 1.0, 0.5)).getMessage(),
        is("adaptive.n_max must be >= n_min (3): 2"));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveSampling(0, 2, 1, 1.0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveSampling(1, 2, 0, 1.0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new AdaptiveSampling(1, 2, 1, -1.0, 0.5));
    assertThat(assertThrows(IllegalArgumentException.class, () -> new AdaptiveSampling(1, 2, 1, 1.0, 0.5, -0.1)).getMessage(),
        is("adaptive.z_rank must be a finite number >= 0: -0.1"));
    assertThat(assertThrows(IllegalArgumentException.class, () -> new AdaptiveSampling(1, 2, 1, 1.0, 0.5, 0.8, Double.NaN))
        .getMessage(), is("adaptive.z_rank_away must be a finite number >= 0: NaN"));
    assertThat(assertThrows(IllegalArgumentException.class, () -> new AdaptiveSampling(1, 2, 1, 1.0, 0.5, 0.8, 0.5, -1.0))
        .getMessage(), is("adaptive.z_choice must be a finite number >= 0: -1.0"));
    assertThat(RULE.zRank(), is(1.0));
    assertThat(RULE.zRankAway(), is(0.5));
    assertThat(RULE.zChoice(), is(0.5));
    assertThat(new AdaptiveSampling(null, null, null, null, null), is(RULE));
  }
}
