package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./assay qualify} on a small LLMBar-shaped folder written here (so it runs without the shared data): the
 * replay's notice, the report, {@code --json}, the gate's exit codes and bad usage.
 */
class QualifyCommandTest {
  @TempDir Path tmp;

  /**
   * Four items (gold 1, 2, 1, 2) judged by an evaluator "Judge"/"Vanilla" that is right in both orders on the first
   * three and answers Output (a) in both orders on the fourth: 7 of 8 verdicts right, 3 of 4 items consistent.
   */
  private Path[] llmbar() throws IOException {
    String[][] outputs = {{"Paris.", "Lyon."}, {"4", "5"}, {"Blue.", "Green."}, {"Yes.", "No, it is not."}};
    int[] gold = {1, 2, 1, 2};
    List<Map<String, Object>> dataset = new ArrayList<>();
    List<Map<String, Object>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Map<String, Object> item = Map.of("input", "Question " + i + "?", "output_1", outputs[i][0], "output_2", outputs[i][1], "label", gold[i]);
      dataset.add(item);
      String first = i == 3 ? "Output (a)" : gold[i] == 1 ? "Output (a)" : "Output (b)";
      String swapped = i == 3 ? "Output (a)" : gold[i] == 1 ? "Output (b)" : "Output (a)";
      Map<String, Object> withResults = new java.util.HashMap<>(item);
      withResults.put(
          "results",
          List.of(
              Map.of(
                  "swap = False", Map.of("completion", List.of(first, "stop"), "winner", "x"),
                  "swap = True", Map.of("completion", List.of(swapped, "stop"), "winner", "x"))));
      results.add(withResults);
    }
    Path strategy = tmp.resolve("evaluators/Judge/Vanilla");
    Files.createDirectories(strategy);
    Files.writeString(tmp.resolve("dataset.json"), Json.pretty(dataset));
    Files.writeString(strategy.resolve("result.json"), Json.pretty(results));
    return new Path[] {tmp.resolve("dataset.json"), strategy};
  }

  @Test
  void replayReportNamesTheReplayAndTheGateDecidesTheExitCode() throws IOException {
    Path[] f = llmbar();
    CliRun passed = CliRun.qualify("--set", "llmbar:" + f[0], "--replay", "llmbar:" + f[1], "--min-accuracy", "0.85");
    assertThat(passed.err(), passed.exit(), is(0));
    assertThat(passed.err(), startsWith("REPLAY: every judge answer is LLMBar's published Judge/Vanilla completion"));
    assertThat(passed.out(), startsWith("REPLAY: "));
    assertThat(passed.out(), containsString("model replay:Judge/Vanilla"));
    assertThat(passed.out(), containsString("accuracy on decisive gold (orders pooled): 7 / 8 = 0.8750"));
    assertThat(passed.out(), containsString("same verdict in both orders 3 / 4 = 0.7500"));
    assertThat(passed.out(), containsString("gate min_judge_accuracy passed: judge judge accuracy = 0.875 >= 0.850"));

    CliRun failed = CliRun.qualify("--set", "llmbar:" + f[0], "--replay", "llmbar:" + f[1], "--min-accuracy", "0.9");
    assertThat(failed.exit(), is(1));
    assertThat(failed.err(), containsString("assay: gate min_judge_accuracy failed: judge judge accuracy = 0.875 < 0.900 (by 0.025)"));
  }

  @Test
  void jsonCarriesTheFiguresAndTheReplay() throws IOException {
    Path[] f = llmbar();
    JsonNode json = CliRun.qualify("--set", "llmbar:" + f[0], "--replay", "llmbar:" + f[1], "--json").json();
    assertThat(json.get("replay").asText(), startsWith("REPLAY: "));
    assertThat(json.get("model").asText(), is("replay:Judge/Vanilla"));
    JsonNode figures = json.get("figures");
    assertThat(figures.get("accuracy").asDouble(), closeTo(0.875, 1e-12));
    // The fourth item (gold 2) answered Output (a) in both orders: wrong with output 1 first, right with output 2 first.
    assertThat(figures.get("orders").get(0).get("correct").asLong(), is(3L));
    assertThat(figures.get("orders").get(1).get("correct").asLong(), is(4L));
    assertThat(figures.get("correct_both").asLong(), is(3L));
    assertThat(figures.get("same_verdict").asLong(), is(3L));
    assertThat(json.get("statuses").get("ok").asLong(), is(8L));
  }

  @Test
  void aSetTheReplayDoesNotHoldFailsEveryJudgmentAndSaysWhy() throws IOException {
    Path[] f = llmbar();
    Path other = tmp.resolve("other.json");
    Files.writeString(other, Json.pretty(List.of(Map.of("input", "Unseen?", "output_1", "a", "output_2", "b", "label", 1))));
    CliRun r = CliRun.qualify("--set", "llmbar:" + other, "--replay", "llmbar:" + f[1], "--min-accuracy", "0.5");
    assertThat(r.exit(), is(1));
    assertThat(r.out(), containsString("judgments: failed 2"));
    assertThat(r.out(), containsString("failed: ReplayMissException: replay:Judge/Vanilla: no published item has the instruction \"Unseen?\""));
  }

  @Test
  void badUsageExitsTwo() throws IOException {
    Path[] f = llmbar();
    assertThat(CliRun.qualify("--set", "llmbar:" + f[0]).err(), containsString("give either --replay SOURCE or --base-url URL"));
    assertThat(CliRun.qualify("--set", "llmbar:" + f[0], "--replay", "llmbar:" + f[1], "--parse", "nope").exit(), is(2));
    assertThat(CliRun.qualify("--set", "llmbar:" + f[0], "--replay", "llmbar:" + f[1], "--model", "m").err(),
        containsString("--model and --api-key-env name a live judge"));
    assertThat(CliRun.qualify("--set", "csv:" + f[0], "--replay", "llmbar:" + f[1]).exit(), is(2));
    CliRun missing = CliRun.qualify("--set", "llmbar:" + tmp.resolve("none.json"), "--replay", "llmbar:" + f[1]);
    assertThat(missing.exit(), is(2));
    assertThat(missing.err(), containsString("none.json"));
  }

  @Test
  void oneOrderJudgesEachPairOnceWithOutput1First() throws IOException {
    Path[] f = llmbar();
    JsonNode json = CliRun.qualify("--set", "llmbar:" + f[0], "--replay", "llmbar:" + f[1], "--orders", "one", "--json").json();
    assertThat(json.get("orders").asText(), is("one"));
    assertThat(json.get("statuses").get("ok").asLong(), is(4L));
    assertThat(json.get("figures").get("orders").size(), is(1));
    assertThat(json.get("figures").get("orders").get(0).get("correct").asLong(), is(3L));
    assertThat("no both-order figures", json.get("figures").has("same_verdict"), is(false));
  }

  /**
   * A rating strategy (one score per output) replays as an absolute judge. Gold 1 with scores 7 and 7, gold 2 with 3
   * and 8: Assay calls the first a tie (1 of 2 right, one order); LLMBar's rule gives a tie to the output shown
   * second, so the first item is wrong with output 1 first and right with output 2 first.
   */
  @Test
  void aRatingStrategyReplaysAsAnAbsoluteJudgeUnderEitherRule() throws IOException {
    List<Map<String, Object>> items =
        List.of(
            Map.of("input", "Name a colour.", "output_1", "Red.", "output_2", "A colour.", "label", 1,
                "results", List.of(Map.of("score_1", List.of("7", "stop"), "score_2", List.of("7", "stop")))),
            Map.of("input", "Add 2 and 2.", "output_1", "5", "output_2", "4", "label", 2,
                "results", List.of(Map.of("score_1", List.of("3", "stop"), "score_2", List.of("8", "stop")))));
    Path strategy = tmp.resolve("evaluators/Judge/Rating");
    Files.createDirectories(strategy);
    Files.writeString(strategy.resolve("result.json"), Json.pretty(items));
    String set = "llmbar:" + strategy.resolve("result.json");
    JsonNode assay = CliRun.qualify("--set", set, "--replay", "llmbar:" + strategy, "--json").json();
    assertThat(assay.get("kind").asText(), is("absolute"));
    assertThat(assay.get("statuses").get("ok").asLong(), is(4L));
    assertThat(assay.get("figures").get("orders").size(), is(1));
    assertThat(assay.get("figures").get("orders").get(0).get("correct").asLong(), is(1L));
    assertThat(assay.get("figures").get("orders").get(0).get("ties").asLong(), is(1L));
    JsonNode theirs = CliRun.qualify("--set", set, "--replay", "llmbar:" + strategy, "--parse", "llmbar", "--json").json();
    assertThat(theirs.get("parse_rule").asText(), is("llmbar-line"));
    JsonNode f = theirs.get("figures");
    assertThat(f.get("orders").get(0).get("correct").asLong() + " " + f.get("orders").get(1).get("correct").asLong()
        + " " + f.get("correct_both").asLong() + " " + f.get("same_verdict").asLong(), is("1 2 1 1"));
  }
}
