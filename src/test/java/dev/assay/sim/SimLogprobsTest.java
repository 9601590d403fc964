package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a hung connection must fail the test, not the build
class SimLogprobsTest {
  /** The defaults plus sim-m2 with log-probs that carry none of its judge's taste (implicit share 0). */
  private static final SimulatorConfig CONFIG =
      SimulatorConfig.defaults()
          .withModel(SimulatorConfig.defaults().model("sim-m2").orElseThrow().toBuilder()
              .name("sim-m2-truth").implicitShare(0).build());
  private static Simulator sim;
  private static SimTestClient client;

  @BeforeAll
  static void start() throws IOException {
    sim = Simulator.start(CONFIG);
    client = new SimTestClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static JsonNode score(String model, String text, int maxTokens, boolean echo) {
    ObjectNode req = Json.mapper().createObjectNode();
    req.put("model", model);
    req.put("prompt", text);
    req.put("max_tokens", maxTokens);
    req.put("echo", echo);
    req.put("logprobs", 0);
    req.put("temperature", 0.0);
    return client.postOk("/completions", Json.line(req));
  }

  /** Sum and count of the log-probs of the tokens at or after {@code from} (the response part). */
  private static double[] responseLogprob(JsonNode choice, int from) {
    JsonNode lp = choice.get("logprobs");
    double sum = 0;
    int n = 0;
    for (int t = 0; t < lp.get("tokens").size(); t++) {
      if (lp.get("text_offset").get(t).asInt() >= from) {
        sum += lp.get("token_logprobs").get(t).asDouble();
        n++;
      }
    }
    return new double[] {sum, n};
  }

  @Test
  void echoScoresThePromptTokenByToken() {
    String text = "Question: explain orbits.\nAnswer: The careful method explains the evidence clearly.\n";
    JsonNode root = score("sim-m1", text, 0, true);
    JsonNode choice = root.at("/choices/0");
    assertThat(root.get("object").asText(), is("text_completion"));
    assertThat(root.get("id").asText(), startsWith("cmpl-sim-"));
    assertThat(choice.get("text").asText(), is(text));
    assertThat(choice.get("finish_reason").asText(), is("length"));
    JsonNode lp = choice.get("logprobs");
    StringBuilder joined = new StringBuilder();
    for (int t = 0; t < lp.get("tokens").size(); t++) {
      assertThat(lp.get("text_offset").get(t).asInt(), is(joined.length()));
      joined.append(lp.get("tokens").get(t).asText());
      if (t == 0) {
        assertThat(lp.get("token_logprobs").get(t).isNull(), is(true));
      } else {
        assertThat(lp.get("token_logprobs").get(t).asDouble(), lessThan(0.0));
      }
    }
    assertThat(joined.toString(), is(text));
    assertThat(lp.get("top_logprobs").isNull(), is(true));
    assertThat(root.at("/usage/prompt_tokens").asInt(), is(lp.get("tokens").size()));
    assertThat(root.at("/usage/completion_tokens").asInt(), is(0));
  }

  @Test
  void generatedTokensFollowTheEchoedPrompt() {
    String prompt = "Explain glaciers:";
    JsonNode echoed = score("sim-m2", prompt, 5, true).at("/choices/0");
    JsonNode plain = score("sim-m2", prompt, 5, false).at("/choices/0");
    assertThat(echoed.get("text").asText(), is(prompt + plain.get("text").asText()));
    assertThat(plain.at("/logprobs/tokens").size(), is(5));
    assertThat(plain.at("/logprobs/text_offset/0").asInt(), is(0));
    assertThat(plain.at("/logprobs/token_logprobs/0").isNull(), is(false)); // conditioned on the prompt
    assertThat(echoed.at("/logprobs/tokens").size(), is(2 + 5)); // "Explain", " glaciers:"
    assertThat(plain.get("finish_reason").asText(), is("length"));
    JsonNode noLogprobs = client.postOk("/completions", "{\"model\":\"sim-m2\",\"prompt\":\"Hi\",\"max_tokens\":2}");
    assertThat(noLogprobs.at("/choices/0/logprobs").isNull(), is(true));
  }

  /** {implicit reward of {@code model} against sim-m0, true quality, sim-m2's judge perception, normalised LL}. */
  private static double[][] implicitRewards(String model, int n) {
    double[][] out = new double[4][n];
    String[] policies = {"sim-m0", "sim-m1", "sim-m2", "sim-m3"};
    SimJudge judge = new SimJudge(CONFIG.worldSeed(), Map.of("sim-m0", CONFIG.model("sim-m0").orElseThrow(),
        "sim-m1", CONFIG.model("sim-m1").orElseThrow(), "sim-m2", CONFIG.model("sim-m2").orElseThrow()));
    for (int i = 0; i < n; i++) {
      String prompt = SimTestClient.prompt(i);
      String response = client.chat(policies[i % 4], prompt, i);
      String x = "User: " + prompt + "\nAssistant:";
      String y = " " + response;
      double[] current = responseLogprob(score(model, x + y, 0, true).at("/choices/0"), x.length());
      double[] reference = responseLogprob(score("sim-m0", x + y, 0, true).at("/choices/0"), x.length());
      assertThat(current[1], is(reference[1]));
      out[0][i] = 0.1 * (current[0] - reference[0]);
      out[1][i] = SimWorld.trueQuality(response);
      out[2][i] = judge.perceived(CONFIG.model("sim-m2").orElseThrow(), response);
      out[3][i] = reference[0] / reference[1];
    }
    return out;
  }

  @Test
  void implicitRewardTracksTrueQuality() {
    double[][] r = implicitRewards("sim-m2-truth", 100);
    double rhoImplicit = SimTestClient.spearman(r[0], r[1]);
    double rhoLl = SimTestClient.spearman(r[3], r[1]);
    assertThat("implicit reward vs truth", rhoImplicit, greaterThan(0.5));
    assertThat("length-normalised log-likelihood of the reference vs truth", rhoLl, greaterThan(0.05));
    assertThat("the implicit reward is the stronger signal", rhoImplicit, greaterThan(rhoLl));
  }

  /** With implicit share 0.5 (the default) the implicit reward follows the model's own judge more, the truth less. */
  @Test
  void aSharedImplicitRewardLeansTowardsItsJudge() {
    double[][] shared = implicitRewards("sim-m2", 100);
    double[][] truth = implicitRewards("sim-m2-truth", 100);
    double sharedVsJudge = SimTestClient.spearman(shared[0], shared[2]);
    double truthVsJudge = SimTestClient.spearman(truth[0], truth[2]);
    assertThat(SimTestClient.spearman(shared[0], shared[1]), lessThan(SimTestClient.spearman(truth[0], truth[1])));
    assertThat(sharedVsJudge - SimTestClient.spearman(shared[0], shared[1]),
        greaterThan(truthVsJudge - SimTestClient.spearman(truth[0], truth[1])));
  }

  @Test
  void aModelScoredAgainstItselfHasNoImplicitReward() {
    String text = "User: hi\nAssistant: The careful method explains the evidence clearly.";
    JsonNode a = score("sim-m1", text, 0, true);
    assertThat(score("sim-m1", text, 0, true), equalTo(a));
  }
}
