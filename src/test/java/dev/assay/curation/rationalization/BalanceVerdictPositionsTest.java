package dev.assay.curation.rationalization;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.io.JsonCoder;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Verdict;
import dev.assay.testing.Pipelines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/** The balancing rule of judge pairs' chosen verdict positions, on plain values and inside the pair builder. */
class BalanceVerdictPositionsTest {
  private static Map<String, Verdict> seats(int a, int b, int ties) {
    Map<String, Verdict> m = new LinkedHashMap<>();
    for (int i = 0; i < a; i++) {
      m.put("a" + i, Verdict.A);
    }
    for (int i = 0; i < b; i++) {
      m.put("b" + i, Verdict.B);
    }
    for (int i = 0; i < ties; i++) {
      m.put("t" + i, Verdict.TIE);
    }
    return m;
  }

  @Test
  void theLargerSideLosesExactlyItsExcessAndTiesAreNeverDropped() {
    BalanceVerdictPositions.Plan plan = BalanceVerdictPositions.plan(seats(30, 12, 5), 42);
    assertThat(plan.chosenA(), is(30L));
    assertThat(plan.chosenB(), is(12L));
    assertThat(plan.droppedSide(), is(Verdict.A));
    assertThat(plan.dropped().size(), is(18));
    assertThat(plan.dropped().stream().allMatch(id -> id.startsWith("a")), is(true));

    BalanceVerdictPositions.Plan moreB = BalanceVerdictPositions.plan(seats(3, 10, 0), 42);
    assertThat(moreB.droppedSide(), is(Verdict.B));
    assertThat(moreB.dropped().size(), is(7));
    assertThat(moreB.dropped().stream().allMatch(id -> id.startsWith("b")), is(true));

    BalanceVerdictPositions.Plan even = BalanceVerdictPositions.plan(seats(4, 4, 3), 42);
    assertThat(even.dropped().isEmpty(), is(true));
    assertThat(even.droppedSide(), is(nullValue()));
    assertThat(BalanceVerdictPositions.plan(Map.of(), 42).dropped().isEmpty(), is(true));
  }

  @Test
  void theChoiceDependsOnTheSeedNotOnTheOrderOfThePairs() {
    Map<String, Verdict> forward = seats(40, 10, 0);
    Map<String, Verdict> backward = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(forward.keySet());
    java.util.Collections.reverse(ids);
    ids.forEach(id -> backward.put(id, forward.get(id)));
    List<String> first = BalanceVerdictPositions.plan(forward, 42).dropped();
    assertThat(BalanceVerdictPositions.plan(backward, 42).dropped(), is(first));
    assertThat(BalanceVerdictPositions.plan(forward, 7).dropped(), is(not(first)));
    // Not simply the first ids in order: a seeded draw.
    assertThat(first, is(not(ids.stream().filter(id -> id.startsWith("a")).sorted().limit(30).toList())));
  }

  private static Judgment verdict(String a, String b, int sample, Verdict v) {
    return new Judgment("j/" + a + "/" + b + "/" + sample, "p", JudgmentKind.PAIRWISE, "j", "m", "pairwise@test", a, b, sample,
        JudgmentStatus.OK, null, v, "because " + sample, "because " + sample + "\n[RESULT] " + v.wire(), ReferenceMode.NONE, null, "llm", null);
  }

  @Test
  void theBuilderRejectsTheDroppedPairsAsPositionBalanceAndStillBalances() {
    // Ordered pairs x|y with majority A (x1..x3), one with majority B (y1), one with majority tie (z1); every item has
    // a dissenting sample, so each yields a pair: chosen A 3, B 1, tie 1 -> 2 A pairs dropped.
    List<Judgment> js = new ArrayList<>();
    List<JudgePrompt> prompts = new ArrayList<>();
    Map<String, Verdict[]> items = new LinkedHashMap<>();
    items.put("x1", new Verdict[] {Verdict.A, Verdict.A, Verdict.B});
    items.put("x2", new Verdict[] {Verdict.A, Verdict.A, Verdict.TIE});
    items.put("x3", new Verdict[] {Verdict.A, Verdict.B, Verdict.A});
    items.put("y1", new Verdict[] {Verdict.B, Verdict.B, Verdict.A});
    items.put("z1", new Verdict[] {Verdict.TIE, Verdict.TIE, Verdict.A});
    items.forEach((first, vs) -> {
      for (int i = 0; i < vs.length; i++) {
        js.add(verdict(first, "other", i, vs[i]));
      }
      prompts.add(new JudgePrompt(JudgmentLabel.pairItem(first, "other"), null, "Compare " + first + " with other."));
    });
    TestPipeline p = Pipelines.create();
    PCollectionTuple out =
        PCollectionTuple.of(BuildRationalizationPairs.JUDGMENTS, p.apply("J", Create.of(js).withCoder(JsonCoder.of(Judgment.class))))
            .and(BuildRationalizationPairs.PROMPTS, p.apply("P", Create.of(prompts).withCoder(JsonCoder.of(JudgePrompt.class))))
            .apply(BuildRationalizationPairs.withPseudoGold(PseudoGold.majority(), TieBreak.seeded(1), "run", 1).balancingPositions(42));
    PAssert.that(out.get(BuildRationalizationPairs.PAIRS)).satisfies(pairs -> {
      Map<Integer, Integer> bySeat = new HashMap<>();
      pairs.forEach(pp -> bySeat.merge((int) pp.chosenScore(), 1, Integer::sum));
      assertThat(bySeat, is(Map.of(JudgmentLabel.A, 1, JudgmentLabel.B, 1, JudgmentLabel.TIE, 1)));
      return null;
    });
    PAssert.that(out.get(BuildRationalizationPairs.REJECTED)).satisfies(rs -> {
      List<RationalizationRejection> list = StreamSupport.stream(rs.spliterator(), false).toList();
      assertThat(list.size(), is(2));
      assertThat(list.stream().map(RationalizationRejection::reason).toList(), everyItem(is(RationalizationReason.POSITION_BALANCE)));
      assertThat(list.stream().map(RationalizationRejection::goldVerdict).toList(), everyItem(is(Verdict.A)));
      assertThat(list.stream().allMatch(r -> r.itemId().startsWith("x") && r.okVerdicts().size() == 3), is(true));
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(BuildRationalizationPairsTest.counter(result, "stage.rationalize.in"), is(5L));
    assertThat(BuildRationalizationPairsTest.counter(result, "stage.rationalize.out"), is(3L));
    assertThat(BuildRationalizationPairsTest.counter(result, "stage.rationalize.rejected"), is(2L));
    assertThat(BuildRationalizationPairsTest.counter(result, "stage.rationalize.rejected.position_balance"), is(2L));
  }

  @Test
  void theCountsAddUpAndAnAbsoluteJudgeIsNotApplicable() {
    PositionBalance.Tally t = new PositionBalance.Tally();
    PreferencePair a = pair("p1", JudgmentLabel.A);
    t.pair(a);
    t.pair(pair("p2", JudgmentLabel.B));
    t.pair(pair("p3", JudgmentLabel.TIE));
    t.rejection(new RationalizationRejection("x|y", RationalizationReason.POSITION_BALANCE, "", "j", null, List.of(), 3, 1, "run", Verdict.B, List.of()));
    t.rejection(new RationalizationRejection("u|v", RationalizationReason.NO_MAJORITY, "", "j", null, List.of(), 3, 1, "run", null, List.of()));
    PositionBalance b = t.result("j", true, 42);
    assertThat(List.of(b.chosenABefore(), b.chosenBBefore(), b.chosenA(), b.chosenB(), b.chosenTie(), b.dropped()), is(List.of(1L, 2L, 1L, 1L, 1L, 1L)));
    PositionBalance absolute = PositionBalance.notApplicable("self", true, 42);
    assertThat(absolute.applicable(), is(false));
    assertThat(absolute.line(), is("position balance: not applicable (self is an absolute judge: its judgments have no seat to balance)"));
  }

  private static PreferencePair pair(String id, int chosenLabel) {
    return new PreferencePair(id, "judge", "a|b", "prompt", null, "c", "r", id + "/c", id + "/r", chosenLabel, -chosenLabel, 2, null,
        List.of(), Map.of(), 1, "run");
  }
}
