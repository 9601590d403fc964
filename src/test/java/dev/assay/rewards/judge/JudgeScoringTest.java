package dev.assay.rewards.judge;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notANumber;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.judging.JudgmentStatus;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JudgeScoring#score}, the judge voter's rule for one prompt, called directly (no pipeline). */
class JudgeScoringTest {
  private static final String VOTER = "judge:self";

  private static ScoreSample ok(String candidate, int sample, int score) {
    return new ScoreSample("self", "p", candidate, sample, JudgmentStatus.OK, score);
  }

  private static ScoreSample notOk(String candidate, int sample, JudgmentStatus status) {
    return new ScoreSample("self", "p", candidate, sample, status, null);
  }

  /**
   * <pre>
   *   a: 4, 5, 3            mean 4, std 1, usable 3 of 3
   *   b: 2, unparseable, 4  mean 3, std sqrt(2), usable 2 of 3
   *   c: failed, refused    NaN, usable 0 of 2
   *   P(a > b) = (4 + 0.5) / 6 = 0.75 with 6 votes; (a, c) and (b, c) are undefined
   * </pre>
   */
  @Test
  void meansPerCandidateAndSuperiorityPerPairWithUndefinedPairsSkipped() {
    List<ScoreSample> samples = new ArrayList<>(List.of(
        ok("a", 0, 4), ok("a", 1, 5), ok("a", 2, 3),
        ok("b", 0, 2), notOk("b", 1, JudgmentStatus.UNPARSEABLE), ok("b", 2, 4),
        notOk("c", 0, JudgmentStatus.FAILED), notOk("c", 1, JudgmentStatus.REFUSED)));
    JudgeScoring.Result r = JudgeScoring.score(VOTER, "self", samples);
    assertThat(r.rewards().stream().map(CandidateReward::candidateId).toList(), contains("a", "b", "c"));
    CandidateReward a = r.rewards().get(0);
    assertThat(a.reward(), is(4.0));
    assertThat(a.spread(), is(1.0));
    assertThat(a.samples(), is(3L));
    assertThat(a.usable(), is(3L));
    CandidateReward b = r.rewards().get(1);
    assertThat(b.reward(), is(3.0));
    assertThat(b.spread(), closeTo(Math.sqrt(2), 1e-12));
    assertThat(b.usable(), is(2L));
    CandidateReward c = r.rewards().get(2);
    assertThat(c.reward(), is(notANumber()));
    assertThat(c.usable(), is(0L));
    assertThat(c.defined(), is(false));
    assertThat(r.preferences(), contains(new PairPreference(VOTER, "p", "a", "b", 0.75, 6, 0)));
    assertThat(r.pairsUndefined(), is(2L));
    assertThat(r.duplicates(), is(0L));
    assertThat(r.stats().get(1).unparseable(), is(1L));

    // Any order in, the same scores out.
    Collections.reverse(samples);
    assertThat(JudgeScoring.score(VOTER, "self", samples), is(r));
  }

  /** Ties count half: {1, 2} vs {2}: 1 < 2 (0), 2 = 2 (1/2): 0.5 / 2 = 0.25; and the reverse is 1 - that. */
  @Test
  void probabilityOfSuperiorityCountsTiesHalf() {
    assertThat(JudgeScoring.probabilityOfSuperiority(new double[] {1, 2}, new double[] {2}), is(0.25));
    assertThat(JudgeScoring.probabilityOfSuperiority(new double[] {2}, new double[] {1, 2}), is(0.75));
    assertThat(JudgeScoring.probabilityOfSuperiority(new double[] {3, 3}, new double[] {3}), is(0.5));
    assertThat(JudgeScoring.probabilityOfSuperiority(new double[] {5}, new double[] {1, 2, 3}), is(1.0));
  }

  /** A sample judged twice (an import read twice) is counted once, and which copy is kept does not depend on order. */
  @Test
  void aDuplicatedSampleIsCountedOnceWhateverItsArrivalOrder() {
    ScoreSample ok5 = new ScoreSample("self", "p", "c", 0, JudgmentStatus.OK, 5);
    ScoreSample failed = new ScoreSample("self", "p", "c", 0, JudgmentStatus.FAILED, null);
    ScoreSample ok3 = new ScoreSample("self", "p", "c", 1, JudgmentStatus.OK, 3);
    JudgeScoring.Result a = JudgeScoring.score(VOTER, "self", List.of(ok5, failed, ok3));
    JudgeScoring.Result b = JudgeScoring.score(VOTER, "self", List.of(failed, ok3, ok5));
    // ok sorts before failed, so the ok score of sample 0 is kept either way: mean (5 + 3) / 2 = 4 over 2 requests.
    assertThat(a, is(b));
    assertThat(a.stats().get(0).mean(), is(4.0));
    assertThat(a.stats().get(0).requested(), is(2L));
    assertThat(a.duplicates(), is(1L));
  }

  @Test
  void noSamplesIsACallersMistake() {
    assertThrows(IllegalArgumentException.class, () -> JudgeScoring.score(VOTER, "self", List.of()));
  }
}
