package dev.assay.rewards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notANumber;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.JsonCoder;
import dev.assay.judging.JudgmentStatus;
import dev.assay.rewards.judge.JudgeScoreStats;
import dev.assay.rewards.judge.ScoreSample;
import dev.assay.rewards.pairwise.FlipRate;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * Every record that crosses a PCollection survives its coder, NaN included (an undefined reward is data). The
 * pairwise type's own input record, package-private there, is checked in {@code
 * pairwise.ScoreWithPairwiseJudgeTest}.
 */
class RewardRecordsTest {
  private static <T> T roundTrip(Class<T> type, T value) throws Exception {
    return CoderUtils.clone(JsonCoder.of(type), value);
  }

  @Test
  void recordsSurviveTheirCoders() throws Exception {
    CandidateReward undefined = new CandidateReward("v", "p", "c", Double.NaN, 3, 0, 0);
    CandidateReward back = roundTrip(CandidateReward.class, undefined);
    assertThat(back, is(undefined));
    assertThat(back.reward(), notANumber());
    PairPreference pref = new PairPreference("v", "p", "a", "b", 2.0 / 3, 3, 1);
    assertThat(roundTrip(PairPreference.class, pref), is(pref));
    JudgeScoreStats none =
        new JudgeScoreStats("v", "j", "p", "c", 2, 0, 1, 0, 0, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    assertThat(roundTrip(JudgeScoreStats.class, none), is(none));
    FlipRate flips = new FlipRate("j", 5, 2, 1);
    assertThat(roundTrip(FlipRate.class, flips), is(flips));
    ScoreSample sample = new ScoreSample("self", "p", "c", 1, JudgmentStatus.UNPARSEABLE, null);
    assertThat(roundTrip(ScoreSample.class, sample), is(sample));
  }

  @Test
  void recordsCheckTheirInvariants() {
    assertThrows(IllegalArgumentException.class, () -> new FlipRate("j", 2, 2, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new JudgeScoreStats("v", "j", "p", "c", 3, 1, 1, 0, 0, 0, 4, 4, 0, 4, 4)); // 1 + 1 != 3
    assertThrows(
        IllegalArgumentException.class,
        () -> new JudgeScoreStats("v", "j", "p", "c", 1, 0, 1, 0, 0, 0, 4, 4, 0, 4, 4)); // a mean without a score
    assertThat(new JudgeScoreStats("v", "j", "p", "c", 4, 3, 1, 0, 0, 0, 4, 4, 1, 3, 5).parseShare(), is(0.75));
    assertThat(new FlipRate("j", 4, 1, 0).rate(), is(0.25));
  }

  @Test
  void gaussianRuleIsAntisymmetricAndDegradesToTheDifference() {
    PreferenceRule g = PreferenceRule.gaussian(1.0);
    assertThat(g.probabilityFirst(1, 1), is(0.5));
    assertThat(Math.abs(g.probabilityFirst(2, 1) + g.probabilityFirst(1, 2) - 1) < 1e-12, is(true));
    // Phi(1 / sqrt 2) = 0.76025 for a one-sigma gap.
    assertThat(Math.abs(g.probabilityFirst(1, 0) - 0.760250) < 1e-5, is(true));
    assertThat(PreferenceRule.gaussian(0).probabilityFirst(2, 1), is(1.0));
    assertThat(PreferenceRule.byDifference().probabilityFirst(0, 1), is(0.0));
  }
}
