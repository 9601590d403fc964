package dev.assay.curation.rationalization;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.SftExample;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.assay.io.JsonCoder;
import dev.assay.judging.AbsoluteParser;
import dev.assay.judging.Judgment;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.run.StageCount;
import dev.assay.testing.Pipelines;
import dev.assay.testing.SharedData;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Self-rationalization on the published MT-Bench set of prometheus-eval: 320 items (80 questions x 4 responses), each
 * graded three times by GPT-4 on a 1-5 rubric. With no gold labels, pseudo-gold = the strict majority of the three.
 *
 * <p>The published split of the three samples (shared/data/SOURCES.md: "all three samples agree on 141/320") fixes
 * the outcome: 141 items agree throughout, so they have a pseudo-gold but nothing to reject ({@code no_wrong_judgment});
 * 15 items have three different scores ({@code no_majority}); the other 164 split 2-1 and each yields one pair, the
 * odd sample out being the rejected side (1 away in 156 items, 2 in 6, 3 in 2).
 */
class RationalizationRealDataTest {
  private static PrometheusEvalImport.Result imported;
  private static List<JudgePrompt> prompts;
  /** The majority score of each item, counted here from the published scores, apart from the code under test. */
  private static Map<String, Integer> majority;

  @BeforeAll
  static void load() {
    imported = PrometheusEvalImport.read(SharedData.require("prometheus-eval/mt_bench_eval.json"));
    prompts = JudgePrompt.forImport(imported, PromptTemplate.load(Path.of("configs/templates/absolute.yaml")));
    majority = new HashMap<>();
    for (int i = 0; i < imported.items().size(); i++) {
      List<Integer> scores = imported.items().get(i).scores();
      for (int s : scores) {
        if (Collections.frequency(scores, s) * 2 > scores.size()) {
          majority.put(imported.candidates().get(i).id(), s);
        }
      }
    }
  }

  private static <T> List<T> list(Iterable<T> values) {
    return StreamSupport.stream(values.spliterator(), false).toList();
  }

  @Test
  void pseudoGoldPairsChooseTheMajorityScore() {
    assertThat(imported.judgments().size(), is(960));
    assertThat(majority.size(), is(305));
    Map<String, List<Integer>> scoresByItem = new HashMap<>();
    for (int i = 0; i < imported.items().size(); i++) {
      scoresByItem.put(imported.candidates().get(i).id(), imported.items().get(i).scores());
    }
    Map<String, String> responses = new HashMap<>();
    imported.candidates().forEach(c -> responses.put(c.id(), c.response()));

    TestPipeline p = Pipelines.create();
    PCollectionTuple out =
        PCollectionTuple.of(
                BuildRationalizationPairs.JUDGMENTS,
                p.apply("Judgments", Create.of(imported.judgments()).withCoder(JsonCoder.of(Judgment.class))))
            .and(BuildRationalizationPairs.PROMPTS, p.apply("Prompts", Create.of(prompts).withCoder(JsonCoder.of(JudgePrompt.class))))
            .apply(BuildRationalizationPairs.withPseudoGold(PseudoGold.majority(), TieBreak.seeded(42), "mt-bench", 0));

    PAssert.that(out.get(BuildRationalizationPairs.PAIRS))
        .satisfies(
            it -> {
              List<PreferencePair> pairs = list(it);
              assertThat(pairs.size(), is(164));
              Map<Double, Integer> margins = new TreeMap<>();
              for (PreferencePair pair : pairs) {
                String item = pair.promptId();
                int gold = majority.get(item);
                assertThat(item, pair.chosenScore(), is((double) gold));
                int furthest = scoresByItem.get(item).stream().mapToInt(s -> Math.abs(s - gold)).max().orElseThrow();
                assertThat(item, Math.abs(pair.rejectedScore() - gold), is((double) furthest));
                assertThat(item, pair.margin() >= 1, is(true));
                // The imported rationale, rebuilt in the template's answer format, reads back to its score.
                assertThat(AbsoluteParser.parse(pair.chosen(), "stop", 1, 5).score(), is(gold));
                assertThat(AbsoluteParser.parse(pair.rejected(), "stop", 1, 5).score(), is((int) pair.rejectedScore()));
                assertThat(pair.prompt(), containsString(responses.get(item).strip()));
                margins.merge(pair.margin(), 1, Integer::sum);
              }
              assertThat(margins, is(Map.of(1.0, 156, 2.0, 6, 3.0, 2)));
              return null;
            });
    PAssert.that(out.get(BuildRationalizationPairs.REJECTED))
        .satisfies(
            it -> {
              List<RationalizationRejection> rejected = list(it);
              StageCount count = BuildRationalizationPairs.account(164, rejected);
              assertThat(count.line(BuildRationalizationPairs.STAGE), count.in(), is(320L));
              assertThat(count.balanced(), is(true));
              // The published "all three samples agree on 141/320" is the no_wrong_judgment count.
              assertThat(count.reasons(), is(Map.of("no_wrong_judgment", 141L, "no_majority", 15L)));
              for (RationalizationRejection r : rejected) {
                if (r.reason() == RationalizationReason.NO_WRONG_JUDGMENT) {
                  assertThat(r.okScores(), is(Collections.nCopies(3, r.gold())));
                } else {
                  assertThat(r.okScores().stream().distinct().count(), is(3L));
                }
              }
              return null;
            });
    PAssert.that(out.get(BuildRationalizationPairs.SFT))
        .satisfies(
            it -> {
              List<SftExample> sft = list(it);
              // Every sample with the majority score: 141 x 3 + 164 x 2; GPT-4 never repeated a rationale verbatim.
              assertThat(sft.size(), is(751));
              for (SftExample s : sft) {
                assertThat(s.kind(), is("judge"));
                assertThat(s.score(), is((double) majority.get(s.promptId())));
              }
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void metricsAgainstTheMajority() {
    RationalizationMetrics m = RationalizationMetrics.againstPseudoGold(imported.judgments(), PseudoGold.majority(), 0);
    assertThat(m.judge(), is("gpt-4"));
    assertThat(m.items(), is(320L));
    assertThat("320 items less the 15 without a majority", m.itemsWithGold(), is(305L));
    assertThat(m.parsed(), is(new RationalizationMetrics.Share(960, 960)));
    // 141 unanimous items x 3 + 164 split items x 2 of their 3 samples agree with the majority.
    assertThat(m.accuracy(), is(new RationalizationMetrics.Share(751, 915)));
    assertThat(m.accuracy().value(), closeTo(0.821, 5e-4));
    // The odd samples out: 156 one away, 6 two away, 2 three away.
    assertThat(m.meanAbsoluteError(), is(new RationalizationMetrics.Mean(915, 174)));
    assertThat(m.meanAbsoluteError().value(), closeTo(0.190, 5e-4));
    assertThat(m.kappaQuadratic().samples(), is(915L));
    assertThat(m.kappaQuadratic().value(), closeTo(0.938, 5e-4));
    assertThat(m.kappaLinear().value(), closeTo(0.868, 5e-4));
    // The published within-judge figure: all three samples agree on 141 of 320 items.
    assertThat(m.unanimous(), is(new RationalizationMetrics.Share(141, 320)));
    assertThat(m.unanimous().value(), closeTo(0.441, 5e-4));
    // Agreeing pairs of samples per item: 3 of 3 (141 items), 1 of 3 (164), 0 of 3 (15): (141 + 164/3) / 320.
    assertThat(m.meanPairwiseAgreement().n(), is(320L));
    assertThat(m.meanPairwiseAgreement().value(), closeTo(0.611, 5e-4));

    // The same numbers through the gold path, with the majority handed in as gold labels.
    RationalizationMetrics g = RationalizationMetrics.againstGold(imported.judgments(), majority, 0);
    assertThat(g.goldSource(), is("gold"));
    assertThat(
        List.of(g.itemsWithGold(), g.accuracy(), g.meanAbsoluteError(), g.kappaQuadratic(), g.kappaLinear(), g.unanimous()),
        is(List.of(m.itemsWithGold(), m.accuracy(), m.meanAbsoluteError(), m.kappaQuadratic(), m.kappaLinear(), m.unanimous())));
  }
}
