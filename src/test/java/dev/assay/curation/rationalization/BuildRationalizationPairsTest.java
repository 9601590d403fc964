package dev.assay.curation.rationalization;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.SftExample;
import static dev.assay.curation.rationalization.RationalizationFixtures.imported;
import static dev.assay.curation.rationalization.RationalizationFixtures.notOk;
import static dev.assay.curation.rationalization.RationalizationFixtures.ok;
import static dev.assay.curation.rationalization.RationalizationFixtures.prompt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.judging.AbsoluteParser;
import dev.assay.judging.PairwiseParser;
import dev.assay.judging.Verdict;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.run.StageCount;
import dev.assay.run.StageMetrics;
import dev.assay.testing.Pipelines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

class BuildRationalizationPairsTest {
  private static final String RUN = "run-1";

  private static PCollectionTuple input(TestPipeline p, List<Judgment> js, List<JudgePrompt> prompts, List<GoldLabel> gold) {
    PCollectionTuple t =
        PCollectionTuple.of(BuildRationalizationPairs.JUDGMENTS, p.apply("Judgments", Create.of(js).withCoder(JsonCoder.of(Judgment.class))))
            .and(BuildRationalizationPairs.PROMPTS, p.apply("Prompts", Create.of(prompts).withCoder(JsonCoder.of(JudgePrompt.class))));
    return gold == null
        ? t
        : t.and(BuildRationalizationPairs.GOLD, p.apply("Gold", Create.of(gold).withCoder(JsonCoder.of(GoldLabel.class))));
  }

  private static <T> List<T> list(Iterable<T> values) {
    return StreamSupport.stream(values.spliterator(), false).toList();
  }

  /** A stage counter's value summed over the steps that touched it (the balance step lowers {@code out}). */
  static long counter(PipelineResult result, String name) {
    Iterable<MetricResult<Long>> found =
        result.metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(StageMetrics.NAMESPACE, name)).build())
            .getCounters();
    long sum = 0;
    for (MetricResult<Long> m : found) {
      sum += m.getAttempted();
    }
    return sum;
  }

  /** One item per gold-mode outcome, plus a prompt for an item nobody judged. */
  private static List<Judgment> goldModeJudgments() {
    List<Judgment> js = new ArrayList<>();
    // pair: gold 4; 2 is furthest (the 3 is nearer), two right samples to choose from.
    js.addAll(List.of(ok("pair", 0, 4), ok("pair", 1, 2), ok("pair", 2, 4), ok("pair", 3, 3), notOk("pair", 4, JudgmentStatus.TRUNCATED)));
    // tie-far: gold 3; 1 and 5 are equally far: the tie-break picks the rejected side.
    js.addAll(List.of(ok("tie-far", 0, 1), ok("tie-far", 1, 3), ok("tie-far", 2, 5)));
    // all-right: gold 5; every sample agrees, two with the same text.
    js.addAll(List.of(ok("all-right", 0, 5, "same"), ok("all-right", 1, 5, "same"), ok("all-right", 2, 5, "other")));
    js.addAll(List.of(ok("no-right", 0, 3), ok("no-right", 1, 4)));
    js.addAll(List.of(notOk("no-ok", 0, JudgmentStatus.UNPARSEABLE), notOk("no-ok", 1, JudgmentStatus.FAILED)));
    js.addAll(List.of(ok("no-gold", 0, 3), ok("no-gold", 1, 1)));
    js.addAll(List.of(ok("conflict", 0, 3), ok("conflict", 1, 1)));
    js.addAll(List.of(ok("no-prompt", 0, 3), ok("no-prompt", 1, 1)));
    return js;
  }

  private static List<GoldLabel> goldModeGold() {
    return List.of(
        new GoldLabel("pair", 4), new GoldLabel("tie-far", 3), new GoldLabel("all-right", 5), new GoldLabel("no-right", 1),
        new GoldLabel("no-ok", 2), new GoldLabel("conflict", 3), new GoldLabel("conflict", 4), new GoldLabel("conflict", 3),
        new GoldLabel("no-prompt", 3), new GoldLabel("never-judged", 2));
  }

  private static List<JudgePrompt> goldModePrompts() {
    List<JudgePrompt> prompts = new ArrayList<>();
    for (String item : List.of("pair", "tie-far", "all-right", "no-right", "no-ok", "no-gold", "conflict", "never-judged", "prompt-only")) {
      prompts.add(prompt(item));
    }
    prompts.add(prompt("pair")); // the same prompt twice is harmless
    return prompts;
  }

  @Test
  void goldModeBuildsPairsAndGivesEveryOtherItemItsReason() {
    TestPipeline p = Pipelines.create(3);
    TieBreak tieBreak = TieBreak.seeded(7);
    PCollectionTuple out =
        input(p, goldModeJudgments(), goldModePrompts(), goldModeGold())
            .apply(BuildRationalizationPairs.withGold(tieBreak, RUN, 2));

    PAssert.that(out.get(BuildRationalizationPairs.PAIRS))
        .satisfies(
            it -> {
              Map<String, PreferencePair> byItem = new TreeMap<>();
              list(it).forEach(pair -> byItem.put(pair.promptId(), pair));
              assertThat(byItem.keySet(), is(new java.util.TreeSet<>(List.of("pair", "tie-far"))));

              PreferencePair pair = byItem.get("pair");
              assertThat(pair.kind(), is("judge"));
              assertThat(pair.chosenScore(), is(4.0));
              assertThat(pair.rejectedScore(), is(2.0));
              assertThat(pair.rejectedId(), is("j/pair/1"));
              assertThat("margin = distance of the rejected side from gold", pair.margin(), is(2.0));
              String expectedChosen = tieBreak.chosen("pair", List.of(ok("pair", 0, 4), ok("pair", 2, 4))).id();
              assertThat(pair.chosenId(), is(expectedChosen));
              assertThat(pair.chosen(), is("Feedback: sample " + expectedChosen.charAt(expectedChosen.length() - 1) + " of pair says 4\n[RESULT] 4"));
              assertThat(pair.prompt(), is("Grade the response of pair."));
              assertThat(pair.system(), is("You grade."));
              assertThat(pair.iteration(), is(2));
              assertThat(pair.runId(), is(RUN));
              assertThat(pair.consistency(), nullValue());

              PreferencePair tie = byItem.get("tie-far");
              assertThat(tie.chosenId(), is("j/tie-far/1"));
              assertThat(tie.margin(), is(2.0));
              String expectedRejected = tieBreak.rejected("tie-far", List.of(ok("tie-far", 0, 1), ok("tie-far", 2, 5))).id();
              assertThat(tie.rejectedId(), is(expectedRejected));
              return null;
            });

    PAssert.that(out.get(BuildRationalizationPairs.REJECTED))
        .satisfies(
            it -> {
              Map<String, RationalizationRejection> byItem = new TreeMap<>();
              list(it).forEach(r -> byItem.put(r.itemId(), r));
              Map<String, RationalizationReason> reasons = new TreeMap<>();
              byItem.forEach((k, v) -> reasons.put(k, v.reason()));
              assertThat(
                  reasons,
                  is(
                      Map.of(
                          "all-right", RationalizationReason.NO_WRONG_JUDGMENT,
                          "no-right", RationalizationReason.NO_RIGHT_JUDGMENT,
                          "no-ok", RationalizationReason.NO_OK_JUDGMENT,
                          "no-gold", RationalizationReason.NO_GOLD,
                          "conflict", RationalizationReason.CONFLICTING_GOLD,
                          "no-prompt", RationalizationReason.NO_PROMPT,
                          "never-judged", RationalizationReason.NO_JUDGMENTS)));
              RationalizationRejection allRight = byItem.get("all-right");
              assertThat(allRight.gold(), is(5));
              assertThat(allRight.okScores(), is(List.of(5, 5, 5)));
              assertThat(allRight.judge(), is("j"));
              assertThat(allRight.detail(), containsString("within 0 of gold 5"));
              assertThat(byItem.get("no-ok").samples(), is(2));
              assertThat(byItem.get("no-ok").okScores(), is(List.of()));
              assertThat(byItem.get("never-judged").judge(), nullValue());
              assertThat(byItem.get("never-judged").gold(), is(2));
              assertThat(byItem.get("conflict").detail(), containsString("[3, 4]"));
              return null;
            });

    PAssert.that(out.get(BuildRationalizationPairs.SFT))
        .satisfies(
            it -> {
              Map<String, SftExample> byId = new TreeMap<>();
              list(it).forEach(s -> byId.put(s.id(), s));
              // pair: both 4s; tie-far: its 3; all-right: two distinct texts of three (the repeat is dropped).
              assertThat(byId.keySet(), is(new java.util.TreeSet<>(List.of("j/pair/0", "j/pair/2", "j/tie-far/1", "j/all-right/0", "j/all-right/2"))));
              for (SftExample s : byId.values()) {
                assertThat(s.kind(), is("judge"));
                assertThat(AbsoluteParser.parse(s.completion(), "stop", 1, 5).score(), is((int) s.score()));
              }
              assertThat(byId.get("j/all-right/0").score(), is(5.0));
              assertThat(byId.get("j/all-right/0").prompt(), is("Grade the response of all-right."));
              return null;
            });

    PipelineResult result = p.run();
    result.waitUntilFinish();
    // Items: 2 pairs + 7 rejected = 9 (the prompt-only entry is not an item).
    assertThat(counter(result, "stage.rationalize.in"), is(9L));
    assertThat(counter(result, "stage.rationalize.out"), is(2L));
    assertThat(counter(result, "stage.rationalize.rejected"), is(7L));
    for (RationalizationReason r : RationalizationReason.values()) {
      // No majority in gold mode; no position balance for absolute judgments, which have no seats.
      long expected = r == RationalizationReason.NO_MAJORITY || r == RationalizationReason.POSITION_BALANCE ? 0 : 1;
      assertThat(r.wire(), counter(result, "stage.rationalize.rejected." + r.wire()), is(expected));
    }
    // Judgments: 21 = 5 SFT + 16 not used.
    assertThat(counter(result, "stage.rationalize.sft.in"), is(21L));
    assertThat(counter(result, "stage.rationalize.sft.out"), is(5L));
    assertThat(counter(result, "stage.rationalize.sft.rejected"), is(16L));
    // not ok: pair/4 + no-ok x2; wrong: pair 2 and 3, tie-far 1 and 5, no-right x2; duplicate: all-right/1;
    // item rejected: no-gold, conflict, no-prompt, 2 each.
    assertThat(counter(result, "stage.rationalize.sft.rejected.not_ok"), is(3L));
    assertThat(counter(result, "stage.rationalize.sft.rejected.wrong_score"), is(6L));
    assertThat(counter(result, "stage.rationalize.sft.rejected.duplicate_text"), is(1L));
    assertThat(counter(result, "stage.rationalize.sft.rejected.item_rejected"), is(6L));
  }

  @Test
  void pseudoGoldModeUsesAStrictMajorityOfOkSamples() {
    TestPipeline p = Pipelines.create();
    List<Judgment> js = new ArrayList<>();
    js.addAll(List.of(ok("two-one", 0, 4), ok("two-one", 1, 1), ok("two-one", 2, 4)));
    js.addAll(List.of(ok("split", 0, 1), ok("split", 1, 2), ok("split", 2, 3)));
    js.addAll(List.of(ok("half", 0, 2), ok("half", 1, 2), ok("half", 2, 1), ok("half", 3, 1)));
    // Two of four requests failed: the two ok samples agree, a majority of the ok samples.
    js.addAll(List.of(ok("two-ok", 0, 3), notOk("two-ok", 1, JudgmentStatus.FAILED), ok("two-ok", 2, 3), notOk("two-ok", 3, JudgmentStatus.REFUSED)));
    js.addAll(List.of(notOk("none-ok", 0, JudgmentStatus.UNPARSEABLE)));
    js.addAll(List.of(ok("no-prompt", 0, 5), ok("no-prompt", 1, 5), ok("no-prompt", 2, 1)));
    // A 3-2 majority whose near miss and far miss: the rejected side is the far one.
    js.addAll(List.of(ok("far", 0, 2), ok("far", 1, 5), ok("far", 2, 2), ok("far", 3, 3), ok("far", 4, 2)));
    List<JudgePrompt> prompts =
        List.of("two-one", "split", "half", "two-ok", "none-ok", "far").stream().map(RationalizationFixtures::prompt).toList();
    PCollectionTuple out =
        input(p, js, prompts, null)
            .apply(BuildRationalizationPairs.withPseudoGold(PseudoGold.majority(), TieBreak.seeded(1), RUN, 0));

    PAssert.that(out.get(BuildRationalizationPairs.PAIRS))
        .satisfies(
            it -> {
              Map<String, PreferencePair> byItem = new TreeMap<>();
              list(it).forEach(pair -> byItem.put(pair.promptId(), pair));
              assertThat(byItem.keySet(), is(new java.util.TreeSet<>(List.of("two-one", "far"))));
              assertThat(byItem.get("two-one").chosenScore(), is(4.0));
              assertThat(byItem.get("two-one").rejectedId(), is("j/two-one/1"));
              assertThat(byItem.get("far").chosenScore(), is(2.0));
              assertThat(byItem.get("far").rejectedScore(), is(5.0));
              assertThat(byItem.get("far").margin(), is(3.0));
              return null;
            });
    PAssert.that(out.get(BuildRationalizationPairs.REJECTED))
        .satisfies(
            it -> {
              Map<String, RationalizationReason> reasons = new TreeMap<>();
              list(it).forEach(r -> reasons.put(r.itemId(), r.reason()));
              assertThat(
                  reasons,
                  is(
                      Map.of(
                          "split", RationalizationReason.NO_MAJORITY,
                          "half", RationalizationReason.NO_MAJORITY,
                          "two-ok", RationalizationReason.NO_WRONG_JUDGMENT,
                          "none-ok", RationalizationReason.NO_OK_JUDGMENT,
                          "no-prompt", RationalizationReason.NO_PROMPT)));
              return null;
            });
    PAssert.that(out.get(BuildRationalizationPairs.SFT))
        .satisfies(
            it -> {
              List<String> ids = list(it).stream().map(SftExample::id).sorted().toList();
              assertThat(ids, is(List.of("j/far/0", "j/far/2", "j/far/4", "j/two-ok/0", "j/two-ok/2", "j/two-one/0", "j/two-one/2")));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aMinimumDistanceRejectsNearMisses() {
    TestPipeline p = Pipelines.create(1);
    List<Judgment> js = List.of(ok("near", 0, 4), ok("near", 1, 3), ok("far", 0, 4), ok("far", 1, 2));
    PCollectionTuple out =
        input(p, js, List.of(prompt("near"), prompt("far")), List.of(new GoldLabel("near", 4), new GoldLabel("far", 4)))
            .apply(BuildRationalizationPairs.withGold(TieBreak.seeded(1), RUN, 0).minDistance(2));
    PAssert.that(out.get(BuildRationalizationPairs.PAIRS))
        .satisfies(it -> {
          assertThat(list(it).stream().map(PreferencePair::promptId).toList(), is(List.of("far")));
          return null;
        });
    PAssert.that(out.get(BuildRationalizationPairs.REJECTED))
        .satisfies(it -> {
          RationalizationRejection r = list(it).get(0);
          assertThat(r.reason(), is(RationalizationReason.NO_WRONG_JUDGMENT));
          assertThat(r.detail(), containsString("(need 2)"));
          return null;
        });
    p.run().waitUntilFinish();
  }

  /** 60 items, each with three right judgments and one wrong one, in a shuffled order. */
  private static List<Judgment> manyTies(long shuffleSeed) {
    List<Judgment> js = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String item = "item-" + i;
      js.addAll(List.of(ok(item, 0, 3), ok(item, 1, 3), ok(item, 2, 3), ok(item, 3, 1)));
    }
    Collections.shuffle(js, new Random(shuffleSeed));
    return js;
  }

  private static Map<String, String> expectedChoices(long seed) {
    TieBreak t = TieBreak.seeded(seed);
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < 60; i++) {
      String item = "item-" + i;
      out.put(item, t.chosen(item, List.of(ok(item, 0, 3), ok(item, 1, 3), ok(item, 2, 3))).id());
    }
    return out;
  }

  private static void assertChoices(long seed, long shuffleSeed, int shards, Map<String, String> expected) {
    TestPipeline p = Pipelines.create(shards);
    List<Judgment> js = manyTies(shuffleSeed);
    List<JudgePrompt> prompts = new ArrayList<>();
    List<GoldLabel> gold = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      prompts.add(prompt("item-" + i));
      gold.add(new GoldLabel("item-" + i, 3));
    }
    PCollectionTuple out =
        input(p, js, prompts, gold).apply(BuildRationalizationPairs.withGold(TieBreak.seeded(seed), RUN, 0));
    PAssert.that(out.get(BuildRationalizationPairs.PAIRS))
        .satisfies(
            it -> {
              Map<String, String> chosen = new TreeMap<>();
              list(it).forEach(pair -> chosen.put(pair.promptId(), pair.chosenId()));
              assertThat(chosen, is(expected));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void theSeededTieBreakIsReproducibleAndDependsOnTheSeed() {
    Map<String, String> seven = expectedChoices(7);
    Map<String, String> eight = expectedChoices(8);
    // Same seed, different input order and sharding: the same choices.
    assertChoices(7, 1, 16, seven);
    assertChoices(7, 2, 3, seven);
    assertChoices(8, 1, 16, eight);
    long differing = seven.keySet().stream().filter(k -> !seven.get(k).equals(eight.get(k))).count();
    // Independent picks among 3 differ with probability 2/3: about 40 of 60; far from none.
    assertThat("items whose chosen judgment changes with the seed: " + differing, differing > 20, is(true));
    // And every one of the three right judgments gets chosen somewhere: the pick is not stuck on one position.
    for (int s = 0; s < 3; s++) {
      String suffix = "/" + s;
      assertThat(seven.values().stream().anyMatch(id -> id.endsWith(suffix)), is(true));
    }
  }

  @Test
  void aMetaJudgeChoosesTheBestArguedAndRejectsTheWorst() {
    TestPipeline p = Pipelines.create();
    List<Judgment> js = List.of(ok("m", 0, 3), ok("m", 1, 3), ok("m", 2, 3), ok("m", 3, 1), ok("m", 4, 5));
    Map<String, Double> scores = new HashMap<>();
    scores.put("j/m/0", 2.0);
    scores.put("j/m/1", 4.5);
    scores.put("j/m/2", Double.NaN); // a failed meta-judgment ranks last
    scores.put("j/m/3", 3.0);
    scores.put("j/m/4", 1.0);
    PCollectionTuple out =
        input(p, js, List.of(prompt("m")), List.of(new GoldLabel("m", 3)))
            .apply(BuildRationalizationPairs.withGold(TieBreak.metaJudge(MetaJudge.precomputed(scores)), RUN, 0));
    PAssert.that(out.get(BuildRationalizationPairs.PAIRS))
        .satisfies(
            it -> {
              PreferencePair pair = list(it).get(0);
              assertThat(pair.chosenId(), is("j/m/1"));
              assertThat("1 and 5 are both 2 away from 3; 5 has the lower meta score", pair.rejectedId(), is("j/m/4"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void importedJudgmentsBecomeFeedbackAndResultInTheTemplateFormat() {
    Judgment j = imported("x", 0, 3, "  The response is partly right.\n");
    assertThat(BuildRationalizationPairs.completion(j), is("Feedback: The response is partly right.\n[RESULT] 3"));
    assertThat(AbsoluteParser.parse(BuildRationalizationPairs.completion(j), "stop", 1, 5).score(), is(3));
    assertThat(BuildRationalizationPairs.completion(imported("x", 1, 2, "")), is("Feedback:\n[RESULT] 2"));
    assertThat(BuildRationalizationPairs.completion(ok("x", 0, 5, "raw wins")), is("Feedback: raw wins\n[RESULT] 5"));
    assertThrows(IllegalArgumentException.class, () -> BuildRationalizationPairs.completion(notOk("x", 0, JudgmentStatus.REFUSED)));
  }

  @Test
  void importedPairwiseJudgmentsEndWithTheResultLineThePairwiseParserReads() {
    for (Verdict v : Verdict.values()) {
      Judgment j =
          new Judgment("j/a/b/0", "p", JudgmentKind.PAIRWISE, "j", "m", null, "a", "b", 0, JudgmentStatus.OK, null, v,
              " A is more precise. ", null, ReferenceMode.NONE, null, "import:x.jsonl", null);
      String text = BuildRationalizationPairs.completion(j);
      assertThat(text, is("A is more precise.\n[RESULT] " + v.wire()));
      assertThat(PairwiseParser.parse(text, "stop").verdict(), is(v));
    }
  }

  @Test
  void theInputTagsMustFitTheMode() {
    TestPipeline p = Pipelines.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple noGold = input(p, List.of(ok("a", 0, 1)), List.of(prompt("a")), null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> noGold.apply("Gold", BuildRationalizationPairs.withGold(TieBreak.seeded(1), RUN, 0)));
    assertThat(e.getMessage(), containsString("GOLD"));
    TestPipeline q = Pipelines.create().enableAbandonedNodeEnforcement(false);
    PCollectionTuple withGold = input(q, List.of(ok("a", 0, 1)), List.of(prompt("a")), List.of(new GoldLabel("a", 1)));
    e = assertThrows(
        IllegalArgumentException.class,
        () -> withGold.apply("Pseudo", BuildRationalizationPairs.withPseudoGold(PseudoGold.majority(), TieBreak.seeded(1), RUN, 0)));
    assertThat(e.getMessage(), containsString("pseudo-gold mode takes no GOLD"));
    assertThrows(IllegalArgumentException.class, () -> BuildRationalizationPairs.withGold(TieBreak.seeded(1), RUN, 0).minDistance(0));
    assertThrows(IllegalArgumentException.class, () -> BuildRationalizationPairs.withGold(TieBreak.seeded(1), RUN, -1));
  }

  @Test
  void judgmentsOfSeveralJudgesForOneItemFailTheRun() {
    TestPipeline p = Pipelines.create();
    Judgment other =
        new Judgment("k/a/1", "prompt-of-a", JudgmentKind.ABSOLUTE, "k", "m", null, "a", null, 1, JudgmentStatus.OK, 2, null, "r", null,
            ReferenceMode.NONE, null, "llm", null);
    input(p, List.of(ok("a", 0, 1), other), List.of(prompt("a")), null)
        .apply(BuildRationalizationPairs.withPseudoGold(PseudoGold.majority(), TieBreak.seeded(1), RUN, 0));
    PipelineExecutionException e = assertThrows(PipelineExecutionException.class, () -> p.run().waitUntilFinish());
    assertThat(e.getCause().getMessage(), containsString("several judges"));
  }

  @Test
  void theRecordsRoundTripThroughTheirCoders() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(JsonCoder.of(GoldLabel.class), new GoldLabel("a/m/0", 3));
    CoderProperties.coderDecodeEncodeEqual(JsonCoder.of(JudgePrompt.class), new JudgePrompt("a/m/0", null, "Grade <response>x</response>"));
    CoderProperties.coderDecodeEncodeEqual(JsonCoder.of(JudgePrompt.class), prompt("a"));
    CoderProperties.coderDecodeEncodeEqual(
        JsonCoder.of(RationalizationRejection.class),
        new RationalizationRejection("a", RationalizationReason.NO_MAJORITY, "ok scores [1, 2]", "j", null, List.of(1, 2), 3, 1, RUN));
    CoderProperties.coderDecodeEncodeEqual(
        JsonCoder.of(RationalizationRejection.class),
        new RationalizationRejection("a", RationalizationReason.NO_JUDGMENTS, "", null, 4, List.of(), 0, 0, RUN));
    CoderProperties.coderDecodeEncodeEqual(
        JsonCoder.of(PreferencePair.class),
        new PreferencePair("id", "judge", "a", "p", null, "c", "r", "j/a/0", "j/a/1", 4, 2, 2, null, List.of(), Map.of(), 0, RUN));
    CoderProperties.coderDecodeEncodeEqual(
        JsonCoder.of(SftExample.class), new SftExample("j/a/0", "judge", "a", "p", "s", "Feedback: ok\n[RESULT] 4", 4, 0, RUN));
    assertThat(Json.line(new RationalizationRejection("a", RationalizationReason.NO_WRONG_JUDGMENT, "d", "j", 4, List.of(4, 4), 2, 0, RUN)),
        containsString("\"reason\":\"no_wrong_judgment\""));
  }

  @Test
  void theAccountingLineAddsUp() {
    StageCount c =
        BuildRationalizationPairs.account(
            3,
            List.of(
                new RationalizationRejection("a", RationalizationReason.NO_MAJORITY, "", "j", null, List.of(1, 2), 2, 0, RUN),
                new RationalizationRejection("b", RationalizationReason.NO_MAJORITY, "", "j", null, List.of(1, 2), 2, 0, RUN),
                new RationalizationRejection("c", RationalizationReason.NO_WRONG_JUDGMENT, "", "j", 2, List.of(2, 2), 2, 0, RUN)));
    assertThat(c.balanced(), is(true));
    assertThat(c.in(), is(6L));
    assertThat(c.reasons(), is(Map.of("no_majority", 2L, "no_wrong_judgment", 1L)));
    assertThat(c.line(BuildRationalizationPairs.STAGE), not(containsString("UNBALANCED")));
    assertThat(List.of(c.out()), everyItem(is(3L)));
  }
}
