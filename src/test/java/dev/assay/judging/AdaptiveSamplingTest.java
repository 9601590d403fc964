package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.judging.AdaptiveSampling.Known;
import dev.assay.judging.AdaptiveSampling.More;
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
    assertThat(new AdaptiveSampling(null, null, null, null, null), is(RULE));
  }
}
