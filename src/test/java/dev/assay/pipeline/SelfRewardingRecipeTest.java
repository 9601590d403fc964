package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.cli.Main;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.export.TrainerFormatChecker;
import dev.assay.run.RunDirectory;
import dev.assay.testing.SharedData;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's acceptance on real data: prometheus-eval's MT-Bench judgments imported (80 questions x 4 responses x 3
 * GPT-4 samples), the self-rewarding recipe writes at most one pair per question, and in every pair the chosen
 * response has the higher mean GPT-4 score, computed here straight from the published file. On the direct runner
 * and on embedded Flink (issue 6: the self-rewarding recipe end to end on Flink).
 */
class SelfRewardingRecipeTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink"})
  void onePairPerQuestionChosenByMeanGpt4Score(String runner) throws Exception {
    Path data = SharedData.require("prometheus-eval/mt_bench_eval.json").toAbsolutePath();
    Map<String, Double> meanByQuestionAndModel = new HashMap<>();
    for (JsonNode item : SharedData.readTree(data)) {
      JsonNode scores = item.get("gpt4_score").isTextual()
          ? dev.assay.io.Json.mapper().readTree(item.get("gpt4_score").asText())
          : item.get("gpt4_score");
      double sum = 0;
      for (JsonNode s : scores) {
        sum += s.asDouble();
      }
      meanByQuestionAndModel.put(item.get("idx").asText() + "/" + item.get("response_source").asText(), sum / scores.size());
    }

    Path run = tmp.resolve("srp");
    assertThat(
        Main.execute(Runners.args(runner, "run", "pipelines/self-rewarding-prometheus.yaml", "--run-dir", run.toString(), "--set", "input.path=" + data)),
        is(0));
    List<PreferencePair> pairs = new RunDirectory(run).read("pairs", "pairs.jsonl", PreferencePair.class);
    assertThat(pairs.size(), greaterThan(70));
    Set<String> questions = new HashSet<>();
    for (PreferencePair p : pairs) {
      assertThat("one pair per question", questions.add(p.promptId()), is(true));
      double chosen = meanByQuestionAndModel.get(questionAndModel(p.chosenId()));
      double rejected = meanByQuestionAndModel.get(questionAndModel(p.rejectedId()));
      assertThat(p.id(), chosen, greaterThan(rejected));
    }
    assertThat(questions.size(), lessThanOrEqualTo(80));

    assertThat(Main.execute("export", run.toString(), "--format", "trl"), is(0));
    assertThat(TrainerFormatChecker.check("trl", run.resolve("export/trl")).size(), is(pairs.size()));
  }

  /** Candidate ids of the import are {@code mt_bench_eval/<idx>/<model>/0}. */
  private static String questionAndModel(String candidateId) {
    String[] parts = candidateId.split("/");
    return parts[1] + "/" + parts[2];
  }
}
