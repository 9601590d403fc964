package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.cli.Main;
import dev.assay.curation.filters.RemovedPrompt;
import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dedupe and decontamination in a recipe: removed prompts are evidence in rejected/, and never generated for. On the
 * direct runner and embedded Flink (the filters group all prompts under one key: that must hold on Flink too).
 */
class PromptFilterRecipeTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink"})
  void duplicatesAndContaminatedPromptsNeverReachGeneration(String runner) throws Exception {
    Files.writeString(
        tmp.resolve("prompts.jsonl"),
        """
        {"id": "a", "prompt": "Explain how ocean tides work in three sentences for a curious reader who already knows a little physics."}
        {"id": "b", "prompt": "explain how ocean TIDES work in three sentences  for a curious reader who already knows a little physics."}
        {"id": "c", "prompt": "Explain how ocean tides work in three sentences for a curious reader who already knows a little physics. Thanks!"}
        {"id": "d", "prompt": "What is the boiling point of water at the top of Mount Everest, roughly, in Celsius?"}
        {"id": "e", "prompt": "Write a haiku about autumn leaves falling on a quiet pond."}
        """);
    Files.writeString(tmp.resolve("eval.jsonl"), "{\"question\": \"What is the boiling point of water at the top of Mount Everest, roughly, in Celsius?\"}\n");
    Files.writeString(
        tmp.resolve("r.yaml"),
        """
        name: filters
        endpoints:
          policy: {base_url: "http://127.0.0.1:1/v1", model: sim-m0}
        input: {path: prompts.jsonl}
        prompt_filters: {decontaminate: [eval.jsonl]}
        generation: {endpoint: policy, k: 2}
        """);
    Path run = tmp.resolve("run");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      String[] args =
          Runners.args(runner, "run", tmp.resolve("r.yaml").toString(), "--run-dir", run.toString(), "--set", "endpoints.policy.base_url=" + sim.baseUrl());
      assertThat(Main.execute(args), is(0));
    }
    RunDirectory dir = new RunDirectory(run);
    List<RemovedPrompt> removed = dir.read("rejected", "prompts.jsonl", RemovedPrompt.class);
    assertThat(removed.stream().map(r -> r.id() + ":" + r.reason()).toList(),
        containsInAnyOrder("b:duplicate_exact", "c:duplicate_near", "d:contaminated"));
    assertThat(dir.read("candidates", "candidates.jsonl", Candidate.class).stream().map(Candidate::promptId).distinct().sorted().toList(),
        is(List.of("a", "e")));
    JsonNode stages = Json.mapper().readTree(run.resolve("manifest.json").toFile()).path("stages");
    assertThat(stages.path("prompt_filters").path("in").asLong(), is(5L));
    assertThat(stages.path("prompt_filters").path("out").asLong(), is(2L));
    assertThat(stages.path("generate").path("in").asLong(), is(4L));
  }
}
