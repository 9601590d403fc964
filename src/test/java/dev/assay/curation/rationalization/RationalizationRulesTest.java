package dev.assay.curation.rationalization;

import static dev.assay.curation.rationalization.RationalizationFixtures.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The rules of self-rationalization in plain Java: the pseudo-gold majority and the tie-breaks. */
class RationalizationRulesTest {
  @Test
  void theMajorityRuleCountsOnlyOkSamplesAndRefusesTies() {
    PseudoGold strict = PseudoGold.majority();
    assertThat(strict.of(List.of(4, 4, 1)), is(OptionalInt.of(4)));
    assertThat(strict.of(List.of(1, 2, 3)), is(OptionalInt.empty()));
    assertThat("2 of 4 is not more than half", strict.of(List.of(2, 2, 1, 3)), is(OptionalInt.empty()));
    assertThat(strict.of(List.of(3)), is(OptionalInt.of(3)));
    assertThat(strict.of(List.of()), is(OptionalInt.empty()));
    PseudoGold twoThirds = PseudoGold.atLeast(2.0 / 3);
    assertThat(twoThirds.of(List.of(4, 4, 1)), is(OptionalInt.of(4)));
    assertThat(twoThirds.of(List.of(4, 4, 1, 1, 4)), is(OptionalInt.empty()));
    PseudoGold low = PseudoGold.atLeast(0.4);
    assertThat(low.of(List.of(2, 2, 1, 3, 5)), is(OptionalInt.of(2)));
    assertThat("tied modes never serve", low.of(List.of(2, 2, 1, 1, 5)), is(OptionalInt.empty()));
    assertThat(PseudoGold.atLeast(1.0).of(List.of(5, 5)), is(OptionalInt.of(5)));
    assertThrows(IllegalArgumentException.class, () -> new PseudoGold(1.0, true));
    assertThrows(IllegalArgumentException.class, () -> PseudoGold.atLeast(0));
  }

  @Test
  void theSeededTieBreakIgnoresCandidateOrder() {
    TieBreak t = TieBreak.seeded(3);
    List<Judgment> right = List.of(ok("x", 0, 4), ok("x", 1, 4), ok("x", 2, 4), ok("x", 3, 4));
    Judgment pick = t.chosen("x", right);
    assertThat(t.chosen("x", List.of(right.get(3), right.get(1), right.get(0), right.get(2))), is(pick));
    assertThat(TieBreak.seeded(3).chosen("x", right), is(pick));
    assertThat(t.describe(), is("seeded(3)"));
    assertThrows(IllegalArgumentException.class, () -> t.chosen("x", List.of()));
  }

  @Test
  void metaJudgeScoresComeFromMetaJudgmentsMeans() {
    // Meta-judgments grade judgments: their candidateA is the judged judgment's id.
    List<Judgment> meta =
        List.of(
            metaJudgment("j/x/0", 0, 2), metaJudgment("j/x/0", 1, 4),
            metaJudgment("j/x/1", 0, 5), notOkMeta("j/x/1", 1),
            notOkMeta("j/x/2", 0));
    MetaJudge judge = MetaJudge.fromJudgments(meta);
    List<Judgment> right = List.of(ok("x", 0, 4), ok("x", 1, 4), ok("x", 2, 4));
    assertThat(judge.score("x", right), is(Map.of("j/x/0", 3.0, "j/x/1", 5.0)));
    TieBreak t = TieBreak.metaJudge(judge);
    assertThat(t.chosen("x", right).id(), is("j/x/1"));
    assertThat("no ok meta-judgment: ranks last", t.rejected("x", right).id(), is("j/x/2"));
  }

  private static Judgment metaJudgment(String judged, int sample, int score) {
    return new Judgment("meta/" + judged + "/" + sample, "x", JudgmentKind.ABSOLUTE, "meta", "m", null, judged, null, sample,
        JudgmentStatus.OK, score, null, "", null, ReferenceMode.NONE, null, "llm", null);
  }

  private static Judgment notOkMeta(String judged, int sample) {
    return new Judgment("meta/" + judged + "/" + sample, "x", JudgmentKind.ABSOLUTE, "meta", "m", null, judged, null, sample,
        JudgmentStatus.FAILED, null, null, "", null, ReferenceMode.NONE, null, "llm", "boom");
  }
}
