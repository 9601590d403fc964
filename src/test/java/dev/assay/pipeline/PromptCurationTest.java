package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.consensus.ConsensusSpec;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.generation.Candidate;
import dev.assay.judging.JudgmentStatus;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.judge.ScoreSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link PromptCuration#curate}, one prompt through every stage, called directly (no pipeline). Judge voters rm-a
 * (judge a) and rm-b (judge b), both consensus voters; consensus k = 2, c = 0.6 with primary rm-a.
 */
class PromptCurationTest {
  private static final List<RewardModelSpec.Judge> VOTERS =
      List.of(new RewardModelSpec.Judge("rm-a", "a"), new RewardModelSpec.Judge("rm-b", "b"));
  private static final ConsensusSpec CONSENSUS = new ConsensusSpec(2, 0.6, 0.0, "rm-a", null);

  private static ScoreAndCuratePairs.Settings settings(ConsistencySpec cs) {
    return new ScoreAndCuratePairs.Settings(VOTERS, List.of("rm-a", "rm-b"), cs, CONSENSUS, PairSpec.defaults(), "run-1", 1);
  }

  /** Judge {@code judge}'s samples of q: each candidate's scores, one sample per score. */
  private static List<ScoreSample> samples(String judge, int c1, int c2) {
    List<ScoreSample> out = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      out.add(new ScoreSample(judge, "q", "q/c1", s, JudgmentStatus.OK, c1));
      out.add(new ScoreSample(judge, "q", "q/c2", s, JudgmentStatus.OK, c2));
    }
    return out;
  }

  private static final Map<String, Candidate> CANDIDATES = Map.of(
      "q/c1", new Candidate("q/c1", "q", "What is q?", null, "a good answer", "m", 0, "stop", null),
      "q/c2", new Candidate("q/c2", "q", "What is q?", null, "a poor answer", "m", 1, "stop", null));

  @Test
  void aPromptGoesThroughEveryStageWithWhatTheStageBeforeProduced() {
    ConsistencySpec cs = new ConsistencySpec("rm-a", "previous", null, ConsistencySpec.FILTER, 0.5, false);
    List<CandidateReward> previous = List.of(
        new CandidateReward("rm-a", "q", "q/c1", 5, 2, 2, 0), new CandidateReward("rm-a", "q", "q/c2", 1, 2, 2, 0));
    // A preference of a model that is not a voter is published but does not vote.
    PairPreference outsider = new PairPreference("x", "q", "q/c1", "q/c2", 0.0, 1, 0);
    PromptCuration.Curated c = PromptCuration.of(settings(cs)).curate(
        "q", Map.of("a", samples("a", 5, 1), "b", samples("b", 4, 2)), previous, List.of(), List.of(outsider), CANDIDATES);

    assertThat(c.scored().stream().map(PromptCuration.Scored::voter).toList(), is(List.of("rm-a", "rm-b")));
    assertThat(c.rewards().size(), is(4));
    assertThat(c.preferences().size(), is(3));
    assertThat(c.consistency().kept().consistency(), is(1.0));
    assertThat(c.consensus().kept().chosen(), is("q/c1"));
    assertThat(c.consensus().kept().agreed(), is(List.of("rm-a", "rm-b")));
    assertThat(c.pairs().pair().chosen(), is("a good answer"));
    assertThat(c.pairs().pair().consistency(), is(1.0));
  }

  @Test
  void aPromptOnlyThePreviousIterationHadIsMeasuredButNotDecided() {
    ConsistencySpec cs = new ConsistencySpec("rm-a", "previous", null, ConsistencySpec.FILTER, 0.5, false);
    List<CandidateReward> previous = List.of(
        new CandidateReward("rm-a", "old", "old/c1", 3, 2, 2, 0), new CandidateReward("rm-a", "old", "old/c2", 2, 2, 2, 0));
    PromptCuration.Curated c = PromptCuration.of(settings(cs)).curate("old", Map.of(), previous, List.of(), List.of(), Map.of());
    assertThat(c.rewards(), is(List.of()));
    assertThat(c.consistency().rejected().reason(), is("too_few_candidates"));
    assertThat(c.consensus(), nullValue());
    assertThat(c.pairs(), nullValue());
  }

  @Test
  void aPreviousJudgeIsScoredAsThePreviousSideAndNotPublished() {
    ConsistencySpec cs = new ConsistencySpec("rm-a", null, "p", ConsistencySpec.REPORT, 0.5, true);
    PromptCuration.Curated c = PromptCuration.of(settings(cs)).curate(
        "q", Map.of("a", samples("a", 5, 1), "b", samples("b", 4, 2), "p", samples("p", 1, 5)), List.of(), List.of(), List.of(), CANDIDATES);
    assertThat("the previous judge ranks the other way round", c.consistency().kept().consistency(), is(0.0));
    assertThat(c.rewards().stream().map(CandidateReward::rewardModel).toList(), everyItem(isIn(List.of("rm-a", "rm-b"))));
    assertThat(c.pairs().pair(), notNullValue());
  }
}
