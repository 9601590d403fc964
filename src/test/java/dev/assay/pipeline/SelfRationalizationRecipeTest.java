package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.assay.cli.Main;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import dev.assay.run.RunDirectory;
import dev.assay.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's acceptance on real data: GPT-4's Prometheus judgments in, judge pairs out, chosen = majority score. On the
 * direct runner and embedded Flink; skipped when ../shared/data is absent.
 */
class SelfRationalizationRecipeTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink"})
  void pseudoGoldPairsChooseTheMajorityScore(String runner) throws Exception {
    Path data = SharedData.require("prometheus-eval/mt_bench_eval.json").toAbsolutePath();
    Path run = tmp.resolve("rat");
    int code =
        Main.execute(Runners.args(runner, "run", "pipelines/self-rationalization-prometheus.yaml", "--run-dir", run.toString(), "--set", "input.path=" + data));
    assertThat(code, is(0));
    RunDirectory dir = new RunDirectory(run);
    Map<String, Map<Integer, Integer>> votes = new HashMap<>();
    for (Judgment j : dir.read("judgments", "judgments.jsonl", Judgment.class)) {
      if (j.status() == JudgmentStatus.OK) {
        votes.computeIfAbsent(j.candidateA(), k -> new HashMap<>()).merge(j.score(), 1, Integer::sum);
      }
    }
    List<PreferencePair> pairs = dir.read("pairs", "pairs.jsonl", PreferencePair.class);
    assertThat(pairs.size(), is(164));
    for (PreferencePair p : pairs) {
      assertThat(p.kind(), is("judge"));
      Map<Integer, Integer> v = votes.get(p.promptId());
      int majority = v.entrySet().stream().filter(e -> e.getValue() >= 2).findFirst().orElseThrow().getKey();
      assertThat(p.id(), (int) p.chosenScore(), is(majority));
      assertThat(Math.abs(p.rejectedScore() - majority) >= 1, is(true));
    }
    var metrics = dev.assay.io.Json.mapper().readTree(run.resolve("rationalization/metrics.json").toFile());
    assertThat(metrics.toString(), metrics.toString().contains("751"), is(true)); // 751 of 915 ok samples match the majority
    Main.execute("export", run.toString(), "--format", "trl");
    assertThat(Files.exists(run.resolve("export/trl/train.jsonl")), is(true));
    assertThat(Files.readString(run.resolve("export/README.md")).contains("164"), is(true));
  }
}
