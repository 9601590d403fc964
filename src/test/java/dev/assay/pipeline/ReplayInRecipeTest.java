package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.replay.LlmBarReplay;
import dev.assay.replay.ReplayProvider;
import dev.assay.run.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Published judgments as a recipe's voter: the replay stand-in behind a judge endpoint answers the real pipeline's
 * requests (candidates imported, pairwise judging in both orders), and the manifest says a replay answered.
 */
class ReplayInRecipeTest {
  @TempDir Path tmp;

  @Test
  void aReplayedJudgeVotesInARunAndTheManifestSaysSo() throws Exception {
    Path strategy = tmp.resolve("evaluators/Judge/Vanilla");
    Files.createDirectories(strategy);
    Files.writeString(
        strategy.resolve("result.json"),
        Json.pretty(
            List.of(
                Map.of("input", "Capital of France?", "output_1", "Paris.", "output_2", "Lyon.", "label", 1,
                    "results", List.of(Map.of(
                        "swap = False", Map.of("completion", List.of("Output (a)", "stop")),
                        "swap = True", Map.of("completion", List.of("Output (b)", "stop"))))),
                Map.of("input", "2 + 2?", "output_1", "5", "output_2", "4", "label", 2,
                    "results", List.of(Map.of(
                        "swap = False", Map.of("completion", List.of("Output (b)", "stop")),
                        "swap = True", Map.of("completion", List.of("Output (b)", "stop"))))))));
    Files.writeString(
        tmp.resolve("candidates.jsonl"),
        """
        {"id": "0/o1", "prompt_id": "0", "prompt": "Capital of France?", "response": "Paris."}
        {"id": "0/o2", "prompt_id": "0", "prompt": "Capital of France?", "response": "Lyon."}
        {"id": "1/o1", "prompt_id": "1", "prompt": "2 + 2?", "response": "5"}
        {"id": "1/o2", "prompt_id": "1", "prompt": "2 + 2?", "response": "4"}
        """);
    Files.writeString(
        tmp.resolve("r.yaml"),
        """
        name: replayed
        endpoints:
          judge: {base_url: "http://127.0.0.1:1/v1", model: "replay:Judge/Vanilla"}
        input: {path: candidates.jsonl, format: candidates}
        judges:
          - {name: gpt, endpoint: judge, kind: pairwise, n: 1, template: %s}
        """.formatted(Path.of("configs/templates/pairwise.yaml").toAbsolutePath()));
    ReplayProvider replay = new ReplayProvider(new LlmBarReplay(strategy.toString()));
    Path run = tmp.resolve("run");
    RunResult result =
        RecipeRunner.run(
            ConfigLoader.load(tmp.resolve("r.yaml"), List.of(), List.of(), name -> null),
            new RecipeRunner.Options(run, false, false, "test", Map.of("judge", replay), List.of()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(result.exitCode(), is(0));
    assertThat(result.manifest().notes(), hasItem(startsWith("endpoint judge: REPLAY: every judge answer is LLMBar's published Judge/Vanilla")));
    List<Judgment> judgments = new RunDirectory(run).read("judgments", "judgments.jsonl", Judgment.class);
    assertThat(judgments.stream().map(j -> j.status()).distinct().toList(), is(List.of(JudgmentStatus.OK)));
    // Item 0: output 1 in both orders. Item 1: Output (b) in both orders, so the order decides: a flip.
    assertThat(
        judgments.stream().map(j -> j.candidateA() + ">" + j.preferredCandidate()).toList(),
        containsInAnyOrder("0/o1>0/o1", "0/o2>0/o1", "1/o1>1/o2", "1/o2>1/o1"));
  }
}
