package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.cli.Main;
import dev.assay.io.Json;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipe's {@code qualification:} section with {@code gates.min_judge_accuracy}: a judge that clears the bar lets
 * the round run (the gate recorded in the manifest); one that falls short stops it with exit 1 before anything is
 * generated or judged. The judge is the simulator's pairwise judge on a small LLMBar-shaped set written here.
 */
class QualificationGateTest {
  @TempDir Path tmp;

  private void write(String name, List<Map<String, Object>> items) throws IOException {
    Files.writeString(tmp.resolve(name), Json.pretty(items));
  }

  private static List<Map<String, Object>> set(boolean flipped) {
    String[][] pairs = {
      {"Name the capital of France.", "Paris is the capital of France.", "I like bread."},
      {"What is 2 + 2?", "Bananas.", "2 + 2 = 4."},
      {"Give a synonym of happy.", "Joyful.", "Table."},
      {"Translate 'bonjour' to English.", "Goodbye.", "Hello."},
      {"Is water wet?", "Water makes things wet; whether water itself is 'wet' is a matter of definition.", "No idea."},
      {"Spell 'cat' backwards.", "dog", "tac"}
    };
    int[] gold = {1, 2, 1, 2, 1, 2};
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < pairs.length; i++) {
      int g = flipped ? 3 - gold[i] : gold[i];
      out.add(Map.of("input", pairs[i][0], "output_1", pairs[i][1], "output_2", pairs[i][2], "label", g));
    }
    return out;
  }

  private int run(String dir, String set, double min, Simulator sim) throws IOException {
    Files.writeString(
        tmp.resolve(dir + ".yaml"),
        """
        name: gated
        endpoints:
          policy: {base_url: "http://127.0.0.1:1/v1", model: sim-m1}
        input: {path: prompts.jsonl}
        generation: {endpoint: policy, k: 2}
        judges:
          - {name: pw, endpoint: policy, kind: pairwise, n: 1, template: %s}
        qualification: {judge: pw, set: %s, format: llmbar}
        gates: {min_judge_accuracy: %s}
        """.formatted(Path.of("configs/templates/pairwise.yaml").toAbsolutePath(), set, min));
    return Main.execute(
        "run", tmp.resolve(dir + ".yaml").toString(), "--run-dir", tmp.resolve(dir).toString(), "--no-progress",
        "--set", "endpoints.policy.base_url=" + sim.baseUrl());
  }

  private JsonNode manifest(String dir) throws IOException {
    return Json.mapper().readTree(tmp.resolve(dir).resolve("manifest.json").toFile());
  }

  @Test
  void aJudgeBelowTheBarStopsTheRoundBeforeItsMainStages() throws IOException {
    Files.writeString(tmp.resolve("prompts.jsonl"), "{\"id\": \"a\", \"prompt\": \"Write a haiku about rain.\"}\n");
    write("gold.json", set(false));
    write("flipped.json", set(true));
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      assertThat("no bar: the round runs", run("open", "gold.json", 0.0, sim), is(0));
      JsonNode open = manifest("open");
      JsonNode gate = open.path("gates").get(0);
      assertThat(gate.path("gate").asText(), is("min_judge_accuracy"));
      assertThat(gate.path("passed").asBoolean(), is(true));
      double accuracy = gate.path("actual").asDouble();
      assertThat(Files.exists(tmp.resolve("open/candidates/candidates.jsonl")), is(true));
      JsonNode result = Json.mapper().readTree(tmp.resolve("open/qualification/result.json").toFile());
      assertThat(result.path("figures").path("accuracy").asDouble(), is(accuracy));
      assertThat(result.path("figures").path("items").asLong(), is(6L));

      // A bar the judge misses: above its accuracy, or (if it was perfect) the same judge on the set with every
      // gold label flipped, where a perfect judge is always wrong.
      boolean perfect = accuracy == 1.0;
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      int exit = run("gated", perfect ? "flipped.json" : "gold.json", perfect ? 0.5 : accuracy + 0.01, sim);
      System.setOut(stdout);
      assertThat(exit, is(1));
    } finally {
      System.setOut(stdout);
    }
    JsonNode gated = manifest("gated");
    assertThat(gated.path("status").asText(), is("gate_failed"));
    assertThat(gated.path("gates").get(0).path("passed").asBoolean(), is(false));
    assertThat("nothing generated or judged", Files.exists(tmp.resolve("gated/candidates")), is(false));
    assertThat(gated.path("stages").size(), is(0));
    assertThat(captured.toString(StandardCharsets.UTF_8), containsString("gate min_judge_accuracy failed: judge pw accuracy = "));
  }
}
