package dev.assay.rewards.judge;

import static dev.assay.rewards.Fixtures.counter;
import static dev.assay.rewards.Fixtures.id;
import static dev.assay.rewards.Fixtures.list;
import static dev.assay.rewards.Fixtures.notOk;
import static dev.assay.rewards.Fixtures.only;
import static dev.assay.rewards.Fixtures.score;
import static dev.assay.rewards.Fixtures.verdict;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notANumber;

import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Verdict;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.testing.Pipelines;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

class ScoreWithJudgeTest {
  private static final String VOTER = "judge:self";

  /**
   * Prompt p, judge "self", three samples per candidate:
   *
   * <pre>
   *   p/m/0: 4, 5, 3                    mean 4, median 4, std sqrt((0 + 1 + 1) / 2) = 1, usable 3 of 3
   *   p/m/1: 2, unparseable, 4          mean 3, median 3, std sqrt((1 + 1) / 1) = 1.41421, usable 2 of 3, parse 2/3
   *   p/m/2: failed, refused, truncated NaN, usable 0 of 3 (no score is made up)
   *   q/m/0: 5, 5 (alone in its prompt) mean 5, std 0, no pair
   *
   *   P(p/m/0 > p/m/1): X = {4, 5, 3}, Y = {2, 4}; sample pairs 4>2, 4=4 (1/2), 5>2, 5>4, 3>2, 3<4
   *                     = (4 + 0.5) / 6 = 0.75, votes 6
   *   (p/m/0, p/m/2) and (p/m/1, p/m/2): p/m/2 is undefined, so skipped: pairs_undefined = 2
   * </pre>
   *
   * Another judge's score of p/m/0 is not read; the same judge's pairwise judgment is counted as other_kind.
   */
  @Test
  void rewardsAreMeanOkScoresAndUndefinedCandidatesStayUndefined() {
    List<Judgment> judgments =
        List.of(
            score("self", "p", 0, 0, 4), score("self", "p", 0, 1, 5), score("self", "p", 0, 2, 3),
            score("self", "p", 1, 0, 2), notOk("self", "p", 1, 1, JudgmentStatus.UNPARSEABLE), score("self", "p", 1, 2, 4),
            notOk("self", "p", 2, 0, JudgmentStatus.FAILED), notOk("self", "p", 2, 1, JudgmentStatus.REFUSED),
            notOk("self", "p", 2, 2, JudgmentStatus.TRUNCATED),
            score("self", "q", 0, 0, 5), score("self", "q", 0, 1, 5),
            score("other", "p", 0, 0, 1),
            verdict("self", "p", 0, 1, 0, Verdict.A));
    TestPipeline p = Pipelines.create(4);
    RewardModelOutput out =
        p.apply(Create.of(judgments).withCoder(JsonCoder.of(Judgment.class))).apply(ScoreWithJudge.of(VOTER, "self"));

    PAssert.that(out.rewards())
        .satisfies(
            rs -> {
              assertThat(list(rs), hasSize(4));
              CandidateReward r0 = only(rs, CandidateReward::candidateId, id("p", 0));
              assertThat(r0, is(new CandidateReward(VOTER, "p", id("p", 0), 4.0, 3, 3, 1.0)));
              CandidateReward r1 = only(rs, CandidateReward::candidateId, id("p", 1));
              assertThat(r1.reward(), is(3.0));
              assertThat(r1.samples(), is(3L));
              assertThat(r1.usable(), is(2L));
              assertThat(r1.spread(), closeTo(Math.sqrt(2), 1e-12));
              CandidateReward r2 = only(rs, CandidateReward::candidateId, id("p", 2));
              assertThat(r2.reward(), notANumber());
              assertThat(r2.usable(), is(0L));
              assertThat(r2.samples(), is(3L));
              assertThat(r2.defined(), is(false));
              assertThat(only(rs, CandidateReward::candidateId, id("q", 0)), is(new CandidateReward(VOTER, "q", id("q", 0), 5.0, 2, 2, 0.0)));
              return null;
            });
    PAssert.that(out.preferences()).containsInAnyOrder(new PairPreference(VOTER, "p", id("p", 0), id("p", 1), 0.75, 6, 0));
    PAssert.that(out.get(ScoreWithJudge.SCORE_STATS))
        .satisfies(
            ss -> {
              JudgeScoreStats s1 = only(ss, JudgeScoreStats::candidateId, id("p", 1));
              assertThat(s1.judge(), is("self"));
              assertThat(s1.median(), is(3.0));
              assertThat(s1.min(), is(2.0));
              assertThat(s1.max(), is(4.0));
              assertThat(s1.unparseable(), is(1L));
              assertThat(s1.parseShare(), closeTo(2.0 / 3, 1e-12));
              JudgeScoreStats s0 = only(ss, JudgeScoreStats::candidateId, id("p", 0));
              assertThat(s0.median(), is(4.0));
              assertThat(s0.std(), is(1.0));
              JudgeScoreStats s2 = only(ss, JudgeScoreStats::candidateId, id("p", 2));
              assertThat(s2.median(), notANumber());
              assertThat(s2.parseShare(), is(0.0));
              assertThat(s2.failed() + s2.refused() + s2.truncated(), is(3L));
              return null;
            });
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, VOTER, "in"), is(4L));
    assertThat(counter(result, VOTER, "out"), is(3L));
    assertThat(counter(result, VOTER, "rejected"), is(1L));
    assertThat(counter(result, VOTER, "pairs"), is(1L));
    assertThat(counter(result, VOTER, "pairs_undefined"), is(2L));
    assertThat(counter(result, VOTER, "judgments_not_ok"), is(4L));
    assertThat(counter(result, VOTER, "other_kind"), is(1L));
    assertThat(counter(result, VOTER, "shard_groups"), lessThanOrEqualTo(4L));
  }
}
