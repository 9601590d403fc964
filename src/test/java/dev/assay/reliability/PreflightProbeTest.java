package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.RealLookingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./assay validate --probe}, the preflight a run makes, on its own: a model the server does not list is
 * named with the models offered (exit 2); an endpoint nothing answers on exits 3; the implicit reward's probe passes
 * on the simulator, which scores prompts, and fails on a server without a completions endpoint (exit 2, naming the
 * recipe field).
 */
class PreflightProbeTest {
  @TempDir Path tmp;

  private Path recipe(String url, String model, boolean implicit) throws Exception {
    Files.writeString(tmp.resolve("prompts.jsonl"), "{\"id\": \"a\", \"prompt\": \"Name a colour.\"}\n");
    Path r = tmp.resolve("r.yaml");
    Files.writeString(
        r,
        """
        name: probe
        endpoints:
          policy: {base_url: "%s", model: "%s", max_retries: 0}
        input: {path: prompts.jsonl}
        generation: {endpoint: policy, k: 2, max_tokens: 16}
        %s
        """
            .formatted(url, model, implicit ? "reward_models: [{name: imp, type: implicit, endpoint: policy}]" : ""));
    return r;
  }

  private static Cli.Result probe(Path recipe) {
    return Cli.run("validate", recipe.toString(), "--probe");
  }

  @Test
  void aModelTheServerDoesNotListIsNamedWithTheModelsOffered() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      Cli.Result r = probe(recipe(sim.baseUrl(), "gpt-nope", false));
      String said = r.all();
      assertThat(said, r.exit(), is(2));
      assertThat(said, containsString("endpoints.policy.model: 'gpt-nope' is not served by " + sim.baseUrl()));
      assertThat(said, containsString("it offers: sim-m0"));
      assertThat("the probe sends no run request", sim.servedCount("/v1/chat/completions"), is(0L));
    }
  }

  @Test
  void anEndpointNothingAnswersOnExits3() throws Exception {
    Cli.Result r = probe(recipe("http://127.0.0.1:1/v1", "m", false));
    assertThat(r.all(), r.exit(), is(3));
  }

  @Test
  void theImplicitProbePassesOnTheSimulatorAndIsRecordedOnce() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      Cli.Result r = probe(recipe(sim.baseUrl(), "sim-m1", true));
      String said = r.all();
      assertThat(said, r.exit(), is(0));
      assertThat(said, containsString("policy models ok: sim-m1 owned_by assay-simulator"));
      assertThat(said, containsString("policy prompt_logprobs ok"));
      assertThat("one probe per endpoint and capability", sim.servedCount("/v1/completions"), is(1L));
    }
  }

  @Test
  void aStructuredJudgeIsRefusedOnAServerWithoutStructuredOutput() throws Exception {
    try (RealLookingServer real = RealLookingServer.start("m")) {
      Path r = recipe(real.baseUrl(), "m", false);
      Files.writeString(
          r,
          Files.readString(r)
              + "judges: [{name: j, endpoint: policy, kind: pairwise, n: 1, structured: true, template: "
              + Path.of("").toAbsolutePath().resolve("configs/templates/pairwise.yaml") + "}]\n");
      Cli.Result result = probe(r);
      assertThat(result.all(), result.exit(), is(2));
      assertThat(result.all(), containsString("judges[0] ('j').structured: endpoint 'policy'"));
      assertThat(result.all(), containsString("refuses response_format json_schema"));
      assertThat("one probe, nothing else", real.posts(), is(1L));
    }
  }

  @Test
  void theImplicitProbeFailsOnAServerThatCannotScoreAPrompt() throws Exception {
    try (RealLookingServer real = RealLookingServer.start("m")) {
      Cli.Result r = probe(recipe(real.baseUrl(), "m", true));
      String said = r.all();
      assertThat(said, r.exit(), is(2));
      assertThat(said, containsString("reward_models[0] (implicit 'imp').endpoint: endpoint 'policy'"));
      assertThat(said, containsString("gives no prompt log-probs"));
    }
  }

  private Path withNPerRequestJudge(Path r) throws Exception {
    Files.writeString(
        r,
        Files.readString(r)
            + "judges: [{name: j, endpoint: policy, n: 3, n_per_request: true, template: "
            + Path.of("").toAbsolutePath().resolve("configs/templates/absolute.yaml") + ", rubric: "
            + Path.of("").toAbsolutePath().resolve("configs/rubrics/helpfulness.yaml") + "}]\n");
    return r;
  }

  @Test
  void aJudgeAskingNPerRequestIsRefusedOnAServerThatAnswersOneChoice() throws Exception {
    // Like llama.cpp servers that ignore n (or older ones that err on it): two choices asked, one answered.
    try (RealLookingServer real = RealLookingServer.start("m")) {
      Cli.Result result = probe(withNPerRequestJudge(recipe(real.baseUrl(), "m", false)));
      assertThat(result.all(), result.exit(), is(2));
      assertThat(result.all(), containsString("judges[0] ('j').n_per_request: endpoint 'policy'"));
      assertThat(result.all(), containsString("asked for n = 2, it answered 1 choice"));
      assertThat("one probe, nothing else", real.posts(), is(1L));
    }
  }

  @Test
  void theNProbePassesOnTheSimulator() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      Cli.Result result = probe(withNPerRequestJudge(recipe(sim.baseUrl(), "sim-m0", false)));
      assertThat(result.all(), result.exit(), is(0));
      assertThat(result.all(), containsString("policy n_choices ok"));
    }
  }
}
