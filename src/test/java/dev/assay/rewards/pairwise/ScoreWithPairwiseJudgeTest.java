package dev.assay.rewards.pairwise;

import static dev.assay.rewards.Fixtures.counter;
import static dev.assay.rewards.Fixtures.id;
import static dev.assay.rewards.Fixtures.list;
import static dev.assay.rewards.Fixtures.only;
import static dev.assay.rewards.Fixtures.pairNotOk;
import static dev.assay.rewards.Fixtures.score;
import static dev.assay.rewards.Fixtures.verdict;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notANumber;

import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Verdict;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.testing.Pipelines;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class ScoreWithPairwiseJudgeTest {
  private static final String VOTER = "pairwise:pw";

  /** The verdict record that crosses the vote's grouping survives its coder. */
  @Test
  void verdictsSurviveTheirCoder() throws Exception {
    PairwiseVotes.Verdicts v = new PairwiseVotes.Verdicts("p", "a", "b", 0, JudgmentStatus.OK, Verdict.TIE);
    assertThat(CoderUtils.clone(JsonCoder.of(PairwiseVotes.Verdicts.class), v), is(v));
  }

  /**
   * Judge "pw", prompt p with x = p/m/0, y = p/m/1, z = p/m/2, and prompt q with a = q/m/0, b = q/m/1:
   *
   * <pre>
   *   (x, y) s0: [x,y] A -> x, [y,x] B -> x        vote x
   *          s1: [x,y] A -> x, [y,x] A -> y        flip (followed the position): tie
   *          s2: [x,y] tie,    [y,x] B -> x        tie
   *          P(x) = (1 + 0.5 * 2) / 3 = 2/3, votes 3, flips 1
   *   (x, z) s0: [x,z] B -> z, [z,x] A -> z        vote z
   *          s1: [x,z] unparseable, [z,x] A        incomplete (not ok): contributes nothing
   *          s2: [x,z] A, no [z,x]                 incomplete (one order only)
   *          P(x) = 0 / 1 = 0, votes 1
   *   (y, z) s0: [y,z] failed, [z,y] refused       incomplete; the pair has no vote: no preference
   *   (a, b) s0: [a,b] A -> a, [b,a] A -> b        flip: P(a) = 0.5, votes 1, flips 1
   *
   *   rewards (mean win probability over pairs with votes):
   *     x: mean(2/3, 0) = 1/3, spread sqrt(((1/3)^2 + (1/3)^2) / 1) = 0.471405, usable 2 of 2 pairs
   *     y: mean(1/3) = 1/3, usable 1 of 2 (y, z had no vote)
   *     z: mean(1) = 1, usable 1 of 2
   *     a, b: 0.5 each
   *   flip rate: flips 2 / comparisons (3 + 1 + 1) = 0.4; ties 1; not ok 3; incomplete 3
   * </pre>
   */
  private static List<Judgment> judgments() {
    return List.of(
        verdict("pw", "p", 0, 1, 0, Verdict.A), verdict("pw", "p", 1, 0, 0, Verdict.B),
        verdict("pw", "p", 0, 1, 1, Verdict.A), verdict("pw", "p", 1, 0, 1, Verdict.A),
        verdict("pw", "p", 0, 1, 2, Verdict.TIE), verdict("pw", "p", 1, 0, 2, Verdict.B),
        verdict("pw", "p", 0, 2, 0, Verdict.B), verdict("pw", "p", 2, 0, 0, Verdict.A),
        pairNotOk("pw", "p", 0, 2, 1, JudgmentStatus.UNPARSEABLE), verdict("pw", "p", 2, 0, 1, Verdict.A),
        verdict("pw", "p", 0, 2, 2, Verdict.A),
        pairNotOk("pw", "p", 1, 2, 0, JudgmentStatus.FAILED), pairNotOk("pw", "p", 2, 1, 0, JudgmentStatus.REFUSED),
        verdict("pw", "q", 0, 1, 0, Verdict.A), verdict("pw", "q", 1, 0, 0, Verdict.A),
        verdict("other", "p", 0, 1, 0, Verdict.B),
        score("pw", "p", 0, 0, 5));
  }

  @Test
  void bothOrderVotesMakePreferencesAndFlipsCountAsTies() {
    TestPipeline p = Pipelines.create(3);
    RewardModelOutput out =
        p.apply(Create.of(judgments()).withCoder(JsonCoder.of(Judgment.class)))
            .apply(ScoreWithPairwiseJudge.of(VOTER, "pw"));

    PAssert.that(out.preferences())
        .satisfies(
            ps -> {
              assertThat(list(ps), hasSize(3));
              PairPreference xy = only(ps, PairPreference::second, id("p", 1));
              assertThat(xy.first(), is(id("p", 0)));
              assertThat(xy.probabilityFirst(), closeTo(2.0 / 3, 1e-12));
              assertThat(xy.votes(), is(3L));
              assertThat(xy.flips(), is(1L));
              assertThat(only(ps, PairPreference::second, id("p", 2)), is(new PairPreference(VOTER, "p", id("p", 0), id("p", 2), 0.0, 1, 0)));
              PairPreference ab = only(ps, PairPreference::promptId, "q");
              assertThat(ab, is(new PairPreference(VOTER, "q", id("q", 0), id("q", 1), 0.5, 1, 1)));
              assertThat("a flip is no preference", ab.preferred(), is((String) null));
              return null;
            });
    PAssert.that(out.rewards())
        .satisfies(
            rs -> {
              assertThat(list(rs), hasSize(5));
              CandidateReward x = only(rs, CandidateReward::candidateId, id("p", 0));
              assertThat(x.reward(), closeTo(1.0 / 3, 1e-12));
              assertThat(x.spread(), closeTo(Math.sqrt(2.0 / 9), 1e-12));
              assertThat(x.samples(), is(2L));
              assertThat(x.usable(), is(2L));
              CandidateReward y = only(rs, CandidateReward::candidateId, id("p", 1));
              assertThat(y.reward(), closeTo(1.0 / 3, 1e-12));
              assertThat(y.usable(), is(1L));
              assertThat(y.samples(), is(2L));
              assertThat(only(rs, CandidateReward::candidateId, id("p", 2)), is(new CandidateReward(VOTER, "p", id("p", 2), 1.0, 2, 1, 0)));
              assertThat(only(rs, CandidateReward::candidateId, id("q", 0)).reward(), is(0.5));
              return null;
            });
    PAssert.that(out.get(ScoreWithPairwiseJudge.FLIP_RATES)).containsInAnyOrder(new FlipRate("pw", 5, 2, 1));
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, VOTER, "comparisons"), is(5L));
    assertThat(counter(result, VOTER, "flips"), is(2L));
    assertThat(counter(result, VOTER, "ties"), is(1L));
    assertThat(counter(result, VOTER, "incomplete"), is(3L));
    assertThat(counter(result, VOTER, "judgments_not_ok"), is(3L));
    assertThat(counter(result, VOTER, "pairs"), is(3L));
    assertThat(counter(result, VOTER, "pairs_without_votes"), is(1L));
    assertThat(counter(result, VOTER, "other_kind"), is(1L));
    assertThat(counter(result, VOTER, "in"), is(5L));
    assertThat(counter(result, VOTER, "rejected"), is(0L));
  }

  /** The same figure without a pipeline: 2 flips in 5 both-order comparisons. */
  @Test
  void flipRateIsFlipsOverBothOrderComparisons() {
    FlipRate rate = FlipRate.of("pw", judgments());
    assertThat(rate, is(new FlipRate("pw", 5, 2, 1)));
    assertThat(rate.rate(), is(0.4));
    assertThat(FlipRate.of("nobody", judgments()).rate(), notANumber());
  }

  /**
   * A judge that answers A whatever it is shown flips on every comparison: rate 1, and every pair is a coin toss, so
   * every candidate's reward is 0.5. A judge that is consistent never flips.
   */
  @Test
  void aJudgeThatAlwaysAnswersAFlipsEverywhere() {
    List<Judgment> alwaysA = new ArrayList<>();
    List<Judgment> consistent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        if (i != j) {
          for (int s = 0; s < 2; s++) {
            alwaysA.add(verdict("lazy", "p", i, j, s, Verdict.A));
            consistent.add(verdict("fair", "p", i, j, s, i < j ? Verdict.A : Verdict.B)); // lower index always wins
          }
        }
      }
    }
    assertThat(FlipRate.of("lazy", alwaysA), is(new FlipRate("lazy", 12, 12, 0)));
    assertThat(FlipRate.of("fair", consistent), is(new FlipRate("fair", 12, 0, 0)));
    List<PairwiseVotes.Verdicts> lazy = alwaysA.stream().map(PairwiseVotes.Verdicts::of).toList();
    PairwiseVotes.Result r = PairwiseVotes.vote("v", lazy);
    assertThat(r.rewards().stream().map(CandidateReward::reward).toList(), contains(0.5, 0.5, 0.5, 0.5));
    List<PairwiseVotes.Verdicts> fair = consistent.stream().map(PairwiseVotes.Verdicts::of).toList();
    // p/m/0 beats all three others: 1; p/m/3 loses to all: 0.
    assertThat(PairwiseVotes.vote("v", fair).rewards().stream().map(CandidateReward::reward).toList(),
        contains(1.0, 2.0 / 3, 1.0 / 3, 0.0));
  }
}
