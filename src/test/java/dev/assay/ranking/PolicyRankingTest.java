package dev.assay.ranking;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Candidate;
import dev.assay.judging.JudgeItem;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Verdict;
import dev.assay.stats.BradleyTerry;
import dev.assay.stats.Comparison;
import dev.assay.stats.ConfidenceInterval;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRankingTest {
  private static final RankingSpec SPEC = new RankingSpec("pairwise", 2000, 42L);

  /** A ranking judgment of prompt {@code p}: {@code first} shown first, the verdict as given (null: unparseable). */
  private static Judgment judgment(String p, int n, RankingSide first, Verdict verdict) {
    RankingSide second = first == RankingSide.CURRENT ? RankingSide.PREVIOUS : RankingSide.CURRENT;
    String a = first.prefix() + p + "/m/" + n;
    String b = second.prefix() + p + "/m/" + n;
    JudgmentStatus status = verdict == null ? JudgmentStatus.UNPARSEABLE : JudgmentStatus.OK;
    return new Judgment(
        "pairwise/" + a + "/" + b + "/0", p, JudgmentKind.PAIRWISE, "pairwise", "sim-m2", "pairwise@1", a, b, 0, status, null, verdict,
        "", null, ReferenceMode.NONE, null, "llm", null);
  }

  /** Per prompt: the current policy wins in both orders on {@code wins} prompts, loses on the rest, one tie each. */
  private static List<Judgment> judgments(int prompts, int wins) {
    List<Judgment> out = new ArrayList<>();
    for (int i = 0; i < prompts; i++) {
      String p = String.format("p%03d", i);
      boolean currentBetter = i < wins;
      out.add(judgment(p, 0, RankingSide.CURRENT, currentBetter ? Verdict.A : Verdict.B));
      out.add(judgment(p, 0, RankingSide.PREVIOUS, currentBetter ? Verdict.B : Verdict.A));
      out.add(judgment(p, 1, RankingSide.CURRENT, Verdict.TIE));
      out.add(judgment(p, 1, RankingSide.PREVIOUS, null));
    }
    return out;
  }

  @Test
  void countsBothSeatOrdersWithTiesAsHalves() {
    RankingSummary s = PolicyRanking.of(judgments(40, 30), "sim-m2", "sim-m1", "/runs/iter-1", SPEC, "sim-m2");
    assertThat(s.judgments(), is(160L));
    assertThat(s.ok(), is(120L));
    assertThat(s.wins(), is(60L));
    assertThat(s.losses(), is(20L));
    assertThat(s.ties(), is(40L));
    assertThat(s.prompts(), is(40L));
    assertThat(s.winRate(), closeTo((60 + 20) / 120.0, 1e-12));
    // Two players: the Bradley-Terry difference is the log-odds of the win rate.
    assertThat(s.strengthDifference(), closeTo(Math.log(80.0 / 40), 1e-9));
    assertThat(s.eloCurrent() - s.eloPrevious(), closeTo(400 * Math.log10(2), 1e-6));
    assertThat(s.winRateLower(), lessThan(s.winRate()));
    assertThat(s.winRateUpper(), greaterThan(s.winRate()));
    assertThat(s.winRateLower(), greaterThan(0.5));
    assertThat(s.verdict(), is("better"));
    assertThat(s.strengthLower(), closeTo(Math.log(s.winRateLower() / (1 - s.winRateLower())), 1e-12));
  }

  @Test
  void anEvenMatchHasAnIntervalAroundOneHalf() {
    RankingSummary s = PolicyRanking.of(judgments(40, 20), "b", "a", "/runs/iter-1", SPEC, "m");
    assertThat(s.winRate(), closeTo(0.5, 1e-12));
    assertThat(s.verdict(), is("no measurable difference"));
    RankingSummary worse = PolicyRanking.of(judgments(40, 8), "b", "a", "/runs/iter-1", SPEC, "m");
    assertThat(worse.verdict(), is("worse"));
  }

  @Test
  void theShareIntervalIsBradleyTerrysIntervalForTwoPlayers() {
    // Units of mixed outcomes, so that no replicate is one-sided: then every replicate's BT probability is its share.
    List<List<Comparison>> units = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      units.add(List.of(Comparison.win(0, 1), i % 3 == 0 ? Comparison.win(1, 0) : Comparison.tie(0, 1), Comparison.win(1, 0)));
    }
    double[] share = PolicyRanking.interval(units, 500, 9);
    ConfidenceInterval bt = BradleyTerry.bootstrap(2, units, 500, 9).interval(f -> f.probability(0, 1), 0.95);
    assertThat(share[0], closeTo(bt.lower(), 1e-9));
    assertThat(share[1], closeTo(bt.upper(), 1e-9));
  }

  @Test
  void aCleanSweepHasNoFiniteStrengthButAWinRate() {
    RankingSummary s = PolicyRanking.of(judgments(10, 10).stream().filter(j -> j.verdict() != Verdict.TIE).toList(), "b", "a", "/r", SPEC, "m");
    assertThat(s.winRate(), closeTo(1.0, 1e-12));
    assertThat(s.strengthDifference(), nullValue());
    assertThat(s.strengthUpper(), nullValue());
    assertThat(s.verdict(), is("better"));
  }

  @Test
  void noUsableJudgmentIsUndefined() {
    RankingSummary s = PolicyRanking.of(List.of(judgment("p", 0, RankingSide.CURRENT, null)), "b", "a", "/r", SPEC, "m");
    assertThat(s.winRate(), nullValue());
    assertThat(s.verdict(), is("undefined"));
  }

  @Test
  void refusesWhatIsNotARankingJudgment() {
    Judgment sameSide =
        new Judgment("x", "p", JudgmentKind.PAIRWISE, "pairwise", "m", "t", "current:a", "current:b", 0, JudgmentStatus.OK, null,
            Verdict.A, "", null, ReferenceMode.NONE, null, "llm", null);
    assertThrows(IllegalArgumentException.class, () -> PolicyRanking.of(List.of(sameSide), "b", "a", "/r", SPEC, "m"));
    Judgment unmarked =
        new Judgment("y", "p", JudgmentKind.PAIRWISE, "pairwise", "m", "t", "p/a/0", "p/b/0", 0, JudgmentStatus.OK, null,
            Verdict.A, "", null, ReferenceMode.NONE, null, "llm", null);
    assertThrows(IllegalArgumentException.class, () -> PolicyRanking.of(List.of(unmarked), "b", "a", "/r", SPEC, "m"));
    Judgment otherJudge = judgment("p", 0, RankingSide.CURRENT, Verdict.A);
    assertThrows(
        IllegalArgumentException.class,
        () -> PolicyRanking.of(List.of(otherJudge), "b", "a", "/r", new RankingSpec("anchor", null, null), "m"));
  }

  @Test
  void pairsEachResponseWithThePreviousPolicysSameSampleInBothOrders() {
    List<Candidate> current = List.of(candidate("current:p/m2/1", 1), candidate("current:p/m2/0", 0), candidate("current:p/m2/2", 2));
    List<Candidate> previous = List.of(candidate("previous:p/m1/1", 1), candidate("previous:p/m1/0", 0));
    List<JudgeItem> items = PairAcrossIterations.pairs(current, previous);
    assertThat(items.size(), is((int) PairAcrossIterations.items(3, 2)));
    assertThat(items.get(0).a().id(), equalTo("current:p/m2/0"));
    assertThat(items.get(0).b().id(), equalTo("previous:p/m1/0"));
    assertThat(items.get(1).a().id(), equalTo("previous:p/m1/0"));
    assertThat(items.get(3).b().id(), equalTo("current:p/m2/1"));
  }

  private static Candidate candidate(String id, int sample) {
    return new Candidate(id, "p", "prompt", null, "text " + id, "m", sample, "stop", null);
  }
}
