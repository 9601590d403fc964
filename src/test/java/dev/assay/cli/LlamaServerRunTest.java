package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.run.RunDirectory;
import dev.assay.judging.Judgment;
import dev.assay.testing.ChildJvm;
import dev.assay.testing.LlamaServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./assay run} end to end against the real llama.cpp servers: a generation-only recipe run in-process and
 * resumed, and a recipe that generates and judges through {@code configs/endpoints/llama-cpp.yaml} in a child JVM
 * with the environment the endpoint file reads. Skipped (failed under CI) without the servers of {@code
 * scripts/llama-server up}.
 */
class LlamaServerRunTest {
  private static final int PROMPTS = 6;
  private static final int K = 2;

  private static final Path REPO = Path.of("").toAbsolutePath();

  @TempDir Path tmp;

  private void writePrompts() throws IOException {
    List<String> prompts;
    try (Stream<String> lines = Files.lines(REPO.resolve("pipelines/data/topics-80.jsonl"))) {
      prompts = lines.limit(PROMPTS).toList();
    }
    Files.writeString(tmp.resolve("prompts.jsonl"), prompts.stream().collect(Collectors.joining("\n", "", "\n")));
  }

  @Test
  void generationRunsAgainstTheServerAndAResumeSendsNothing() throws Exception {
    LlamaServers servers = LlamaServers.require();
    writePrompts();
    Files.writeString(
        tmp.resolve("r.yaml"),
        """
        name: llama-generation
        endpoints:
          policy: {base_url: "%s", model: "%s", max_in_flight: %d, max_retries: 2}
        input: {path: prompts.jsonl}
        generation: {endpoint: policy, k: %d, max_tokens: 32}
        """
            .formatted(servers.policy().baseUrl(), servers.policy().model(), servers.slots(), K));
    Path run = tmp.resolve("run");
    String[] args = {"run", tmp.resolve("r.yaml").toString(), "--run-dir", run.toString(), "--no-progress", "--runner", "direct"};

    assertThat(Main.execute(args), is(0));

    RunDirectory dir = new RunDirectory(run);
    List<Candidate> candidates = dir.read("candidates", "candidates.jsonl", Candidate.class);
    assertThat(candidates.size(), is(PROMPTS * K));
    assertThat(candidates.stream().map(Candidate::model).toList(), everyItem(is(servers.policy().model())));
    assertThat(candidates.stream().map(Candidate::finishReason).toList(), everyItem(is(oneOf("stop", "length"))));
    JsonNode manifest = Json.mapper().readTree(run.resolve("manifest.json").toFile());
    JsonNode generate = manifest.path("stages").path("generate");
    assertThat(generate.toString(), generate.path("out").asLong(), is((long) PROMPTS * K));
    assertThat(generate.toString(), generate.path("failed").asLong(), is(0L));
    byte[] first = Files.readAllBytes(run.resolve("candidates/candidates.jsonl"));

    String[] resume = Stream.concat(Stream.of(args), Stream.of("--resume")).toArray(String[]::new);
    assertThat(Main.execute(resume), is(0));

    // The ledger answers every request: the same bytes, though the server would sample differently under load.
    assertThat(Files.readAllBytes(run.resolve("candidates/candidates.jsonl")), is(first));
    JsonNode usage = Json.mapper().readTree(run.resolve("manifest.json").toFile()).path("usage").path("policy");
    assertThat(usage.toString(), usage.path("requests").asLong(), is(0L));
    assertThat(usage.toString(), usage.path("ledger_hits").asLong(), is((long) PROMPTS * K));
  }

  @Test
  void theEndpointFileSendsEachRoleToItsServer() throws Exception {
    LlamaServers servers = LlamaServers.require();
    writePrompts();
    // No endpoints in the recipe: every role comes from the shipped file and the environment the state file gives.
    Files.writeString(
        tmp.resolve("r.yaml"),
        """
        name: llama-endpoint-file
        input: {path: prompts.jsonl}
        generation: {endpoint: policy, k: %d, max_tokens: 32}
        judges:
          - {name: previous, endpoint: previous, kind: absolute, n: 1, max_tokens: 64, structured: true, template: %s, rubric: %s}
        """
            .formatted(K, REPO.resolve("configs/templates/absolute.yaml"), REPO.resolve("configs/rubrics/helpfulness.yaml")));
    Path run = tmp.resolve("run");
    Path log = tmp.resolve("child.log");
    List<String> args =
        List.of("run", tmp.resolve("r.yaml").toString(), "--config", REPO.resolve("configs/endpoints/llama-cpp.yaml").toString(),
            "--run-dir", run.toString(), "--no-progress", "--runner", "direct");

    Process child = ChildJvm.start(tmp, log, List.of(), servers.environment(), args);

    assertThat(child.waitFor(5, TimeUnit.MINUTES), is(true));
    assertThat(Files.readString(log), child.exitValue(), is(0));
    RunDirectory dir = new RunDirectory(run);
    List<Candidate> candidates = dir.read("candidates", "candidates.jsonl", Candidate.class);
    assertThat(candidates.size(), is(PROMPTS * K));
    assertThat(candidates.stream().map(Candidate::model).toList(), everyItem(is(servers.policy().model())));
    List<Judgment> judgments = dir.read("judgments", "judgments.jsonl", Judgment.class);
    assertThat(judgments.size(), is(PROMPTS * K));
    // Free text from random weights rarely holds a score (the default parse-rate gate would stop the run): the
    // judge asks for structured output. What matters here is who answered.
    assertThat(judgments.stream().map(Judgment::model).toList(), everyItem(is(servers.previous().model())));
    JsonNode usage = Json.mapper().readTree(run.resolve("manifest.json").toFile()).path("usage");
    assertThat(usage.toString(), usage.path("policy").path("requests").asLong(), is((long) PROMPTS * K));
    assertThat(usage.toString(), usage.path("previous").path("requests").asLong(), is((long) PROMPTS * K));
    // The manifest keeps the file's ${...} text, not the addresses it expanded to.
    assertThat(Files.readString(run.resolve("manifest.json")), containsString("${ASSAY_LLAMA_POLICY_URL}"));
  }
}
