package dev.assay.qualification;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.judging.JudgeDefinition;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.replay.PandaLmReplay;
import dev.assay.replay.ReplayIndex;
import dev.assay.replay.ReplayProvider;
import dev.assay.testing.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PandaLM's two published judges, replayed through Assay's judging in the one order they were published in, measured
 * against the human majority; every expected count is recomputed here from the raw JSON, without Assay's readers.
 */
class PandaLmQualificationTest {
  @TempDir Path tmp;

  /** What the raw files say one judge's qualification must find. */
  private record Expected(long failed, long decisive, long correct, long tieGold, long tieGoldSaidTie) {}

  @Test
  void gpt35() {
    check("gpt-3.5-turbo-testset-v1.json", "gpt_");
  }

  @Test
  void pandaLm7b() {
    check("pandalm-7b-testset-v1.json", "pandalm_");
  }

  private void check(String judgeFile, String prefix) {
    Path dir = SharedData.require("pandalm");
    Path testset = dir.resolve("testset-v1.json");
    Expected expected = expected(SharedData.readTree(testset), SharedData.readTree(dir.resolve(judgeFile)), prefix);

    ReplayProvider provider = new ReplayProvider(new PandaLmReplay(testset.toString(), dir.resolve(judgeFile).toString()));
    ReplayIndex index = provider.backend().index();
    JudgeDefinition judge = LlmBarReproductionTest.judge(index);
    QualificationSpec spec = new QualificationSpec("pandalm:" + testset, false, ParseRule.ASSAY, null, 42);
    QualificationResult r = Qualification.run(spec, judge, provider, tmp, index.notice(), RunnerChoice.direct().options());

    QualificationFigures f = r.figures();
    QualificationFigures.OrderFigures only = f.orders().get(0);
    System.out.println(judgeFile + ": " + r.statuses() + " " + only + " failures " + r.failures());
    assertThat("one order only", f.orders().size(), is(1));
    assertThat(f.items(), is(999L));
    assertThat("failed: garbage and copies whose answers differ", r.statuses().getOrDefault("failed", 0L), is(expected.failed()));
    assertThat("every other request was answered and parsed", r.statuses().getOrDefault("ok", 0L), is(999L - expected.failed()));
    assertThat(only.decisive(), is(expected.decisive()));
    assertThat(only.correct(), is(expected.correct()));
    assertThat(only.tieGold(), is(expected.tieGold()));
    assertThat(only.tieGoldSaidTie(), is(expected.tieGoldSaidTie()));
    assertThat(f.accuracy(), closeTo((double) expected.correct() / expected.decisive(), 1e-12));
    assertThat(r.model(), is(index.modelId()));
  }

  /** The counts straight from the JSON: majority of the three annotators; the judge's result unless unreplayable. */
  private static Expected expected(JsonNode testset, JsonNode judge, String prefix) {
    Integer[] verdicts = publishedVerdicts(testset, judge, prefix);
    long failed = 0;
    long decisive = 0;
    long correct = 0;
    long tieGold = 0;
    long saidTie = 0;
    for (int i = 0; i < testset.size(); i++) {
      Integer gold = gold(testset.get(i));
      Integer verdict = verdicts[i];
      failed += verdict == null ? 1 : 0;
      if (gold != null && gold != 0) {
        decisive++;
        correct += gold.equals(verdict) ? 1 : 0;
      } else if (gold != null) {
        tieGold++;
        saidTie += Integer.valueOf(0).equals(verdict) ? 1 : 0;
      }
    }
    return new Expected(failed, decisive, correct, tieGold, saidTie);
  }

  /**
   * Each item's published verdict (1, 2, 0 for "Tie"), straight from the raw JSON, or null where a replay cannot
   * answer: "garbage", or copies of one item (same instruction, input and responses) whose answers differ.
   */
  static Integer[] publishedVerdicts(JsonNode testset, JsonNode judge, String prefix) {
    Map<String, Set<String>> outcomes = new HashMap<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < testset.size(); i++) {
      JsonNode t = testset.get(i);
      JsonNode j = judge.get(i);
      assertThat(j.get("idx").asInt(), is(t.get("idx").asInt()));
      String key = t.get("instruction").asText() + "\u0000" + t.get("input").asText() + "\u0000"
          + t.get("response1").asText() + "\u0000" + t.get("response2").asText(); // a boolean response reads "true" here
      keys.add(key);
      outcomes.computeIfAbsent(key, k -> new HashSet<>())
          .add(j.get(prefix + "result").asText() + "\u0000" + j.get(prefix + "reason").asText() + "\u0000" + j.get(prefix + "reference").asText());
    }
    Integer[] verdicts = new Integer[testset.size()];
    for (int i = 0; i < testset.size(); i++) {
      String result = judge.get(i).get(prefix + "result").asText();
      boolean replayable = outcomes.get(keys.get(i)).size() == 1 && !result.equals("garbage");
      verdicts[i] = !replayable ? null : result.equals("Tie") ? Integer.valueOf(0) : Integer.valueOf(result);
    }
    return verdicts;
  }

  /** The label most of the three annotators gave (0 = tie), or null without a majority. */
  static Integer gold(JsonNode t) {
    int[] votes = new int[3];
    for (String a : List.of("annotator1", "annotator2", "annotator3")) {
      votes[t.get(a).asInt()]++;
    }
    Integer gold = null;
    for (int v = 0; v < 3; v++) {
      gold = votes[v] >= 2 ? Integer.valueOf(v) : gold;
    }
    return gold;
  }
}
