package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.cli.Main;
import dev.assay.io.Json;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.RealLookingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, failure 2: a run whose policy is Assay's simulator and whose judge is a real server must not quietly mix
 * simulated answers into real data. Preflight knows the simulator by what its model list says ({@code owned_by:
 * assay-simulator}), not by a {@code sim-} name: here the real-looking server's model is even called {@code
 * sim-judge}. Refused with exit 2 before any run request; with {@code allow_simulated: true} the run goes ahead and
 * the manifest and the dataset card name the simulated endpoint.
 */
class MixedSimulatedEndpointsTest {
  private static final Path REPO = Path.of("").toAbsolutePath();

  @TempDir Path tmp;

  private Path recipe(String simUrl, String realUrl, boolean allow) throws Exception {
    Files.writeString(
        tmp.resolve("prompts.jsonl"),
        "{\"id\": \"a\", \"prompt\": \"Name a colour.\"}\n{\"id\": \"b\", \"prompt\": \"Name a fruit.\"}\n");
    Path r = tmp.resolve("mixed.yaml");
    Files.writeString(
        r,
        """
        name: mixed
        %s
        endpoints:
          policy: {base_url: "%s", model: sim-m1}
          judge: {base_url: "%s", model: sim-judge, max_retries: 0}
        input: {path: prompts.jsonl}
        generation: {endpoint: policy, k: 2, max_tokens: 16}
        judges:
          - {name: j, endpoint: judge, kind: absolute, n: 1, max_tokens: 16, template: %s, rubric: %s}
        reward_models:
          - {name: judge-j, type: judge, judge: j}
        consensus: {k: 1, c: 0.5, m0: 0.0, primary: judge-j}
        """
            .formatted(allow ? "allow_simulated: true" : "", simUrl, realUrl,
                REPO.resolve("configs/templates/absolute.yaml"), REPO.resolve("configs/rubrics/helpfulness.yaml")));
    return r;
  }

  @Test
  void aRunMixingSimulatedAndRealEndpointsIsRefusedBeforeAnyRequest() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults());
        RealLookingServer real = RealLookingServer.start("sim-judge")) {
      Path run = tmp.resolve("run");
      int exit = Main.execute("run", recipe(sim.baseUrl(), real.baseUrl(), false).toString(), "--run-dir", run.toString(),
          "--no-progress", "--runner", "direct");

      assertThat(exit, is(2));
      assertThat("no generation request", sim.servedCount("/v1/chat/completions"), is(0L));
      assertThat("no judge request", real.posts(), is(0L));
      assertThat("nothing written", Files.exists(run.resolve("manifest.json")), is(false));
    }
  }

  @Test
  void allowSimulatedRunsAndNamesTheSimulatedEndpointInManifestAndCard() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults());
        RealLookingServer real = RealLookingServer.start("sim-judge")) {
      Path run = tmp.resolve("run");
      int exit = Main.execute("run", recipe(sim.baseUrl(), real.baseUrl(), true).toString(), "--run-dir", run.toString(),
          "--no-progress", "--runner", "direct");

      assertThat(exit, is(0));
      assertThat(real.posts(), is(4L));
      JsonNode manifest = Json.mapper().readTree(run.resolve("manifest.json").toFile());
      List<String> notes = new ArrayList<>();
      manifest.path("notes").forEach(n -> notes.add(n.asText()));
      assertThat(notes, hasItem(startsWith("simulated endpoints: policy")));
      assertThat(manifest.path("preflight").toString(), containsString("owned_by assay-simulator"));
      assertThat(manifest.path("preflight").toString(), containsString("owned_by vllm"));

      Path out = tmp.resolve("export");
      assertThat(Main.execute("export", run.toString(), "--format", "trl", "--out", out.toString()), is(0));
      assertThat(Files.readString(out.resolve("README.md")), containsString("simulated endpoints: policy"));
    }
  }
}
