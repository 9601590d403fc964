package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a hung connection must fail the test, not the build
class SimulatorChatTest {
  private static final Pattern ABSOLUTE_RESULT = Pattern.compile("\\[RESULT\\]\\s*(\\d)");
  private static final Pattern PAIRWISE_RESULT = Pattern.compile("\\[RESULT\\]\\s*(A|B|tie)$");
  private static Simulator sim;
  private static SimTestClient client;

  @BeforeAll
  static void start() throws Exception {
    sim = Simulator.start(SimulatorConfig.defaults());
    client = new SimTestClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void sameRequestTwiceGivesIdenticalBytes() {
    for (String content : List.of(
        "Explain recursion to a child.",
        SimTestClient.absolutePrompt("Explain recursion.", "Recursion is a function calling itself.", null, 5),
        SimTestClient.pairwisePrompt("Explain recursion.", "It calls itself.", "A loop."))) {
      String body = SimTestClient.chatBody("sim-m1", content, 3, 0.8, 3);
      HttpResponse<String> first = client.post("/chat/completions", body);
      HttpResponse<String> second = client.post("/chat/completions", body);
      assertThat(first.statusCode(), is(200));
      assertThat(second.body(), equalTo(first.body()));
    }
  }

  @Test
  void aFreshSimulatorGivesTheSameBytesToo() throws Exception {
    String body = SimTestClient.chatBody("sim-m2", "Describe glaciers.", 11, 1.0, 2);
    String here = client.post("/chat/completions", body).body();
    try (Simulator other = Simulator.start(SimulatorConfig.defaults().withSeed(999))) {
      assertThat(new SimTestClient(other).post("/chat/completions", body).body(), equalTo(here));
    }
  }

  @Test
  void replyHasTheOpenAiShapeAndSaysItIsASimulator() {
    HttpResponse<String> r =
        client.post("/chat/completions", SimTestClient.chatBody("sim-m0", "Describe rivers.", 1, 0.7, 2));
    assertThat(r.headers().firstValue("X-Assay-Simulator").orElse(""), is("true"));
    JsonNode root = SimTestClient.parse(r.body());
    assertThat(root.get("id").asText(), startsWith("chatcmpl-sim-"));
    assertThat(root.get("object").asText(), is("chat.completion"));
    assertThat(root.get("created").asLong(), is(0L));
    assertThat(root.get("model").asText(), is("sim-m0"));
    assertThat(root.get("system_fingerprint").asText(), is("assay-simulator"));
    assertThat(root.get("choices").size(), is(2));
    int words = 0;
    for (int i = 0; i < 2; i++) {
      JsonNode c = root.get("choices").get(i);
      assertThat(c.get("index").asInt(), is(i));
      assertThat(c.at("/message/role").asText(), is("assistant"));
      assertThat(c.get("finish_reason").asText(), is("stop"));
      words += c.at("/message/content").asText().split("\\s+").length;
    }
    assertThat(root.at("/usage/completion_tokens").asInt(), is(words));
    assertThat(root.at("/usage/prompt_tokens").asInt(), is(2 + 5)); // "Describe rivers." + the system message
    assertThat(root.at("/usage/total_tokens").asInt(), is(words + 7));
    assertThat(root.at("/choices/0/message/content").asText(),
        not(equalTo(root.at("/choices/1/message/content").asText())));
  }

  @Test
  void seedAndChoiceIndexVaryAnswersExceptAtTemperatureZero() {
    String a = client.chat("sim-m1", "Explain entropy.", 1);
    String b = client.chat("sim-m1", "Explain entropy.", 2);
    assertThat(b, not(equalTo(a)));
    JsonNode greedy =
        client.postOk("/chat/completions", SimTestClient.chatBody("sim-m1", "Explain entropy.", 1, 0.0, 3));
    JsonNode greedyOtherSeed =
        client.postOk("/chat/completions", SimTestClient.chatBody("sim-m1", "Explain entropy.", 2, 0.0, 1));
    String first = greedy.at("/choices/0/message/content").asText();
    assertThat(greedy.at("/choices/2/message/content").asText(), is(first));
    assertThat(greedyOtherSeed.at("/choices/0/message/content").asText(), is(first));
  }

  @Test
  void policyRequestsGetResponsesOfVaryingLengthWithoutJudgeMarkers() {
    Set<Integer> lengths = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      String text = client.chat("sim-judge-strict", SimTestClient.prompt(i), i);
      assertThat(text, not(containsString("Feedback:")));
      assertThat(SimWorld.containsJudgeInjection(text), is(false)); // sim-judge-strict never hacks
      lengths.add(text.split("\\s+").length / 10);
    }
    assertThat("length buckets of 10 words", lengths.size(), greaterThanOrEqualTo(4));
  }

  @Test
  void absoluteJudgmentsCarryAParseableScoreOnTheRubricScale() {
    List<Integer> scores = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String response = client.chat("sim-m0", SimTestClient.prompt(i), i);
      String judgment =
          client.chat("sim-judge-strict", SimTestClient.absolutePrompt(SimTestClient.prompt(i), response, null, 5), 0);
      assertThat(judgment, startsWith("Feedback: "));
      Matcher m = ABSOLUTE_RESULT.matcher(judgment);
      assertThat(judgment, m.find(), is(true));
      scores.add(Integer.parseInt(m.group(1)));
      assertThat("only the result carries a digit",
          judgment.replaceFirst("\\[RESULT\\]\\s*\\d$", ""), matchesPattern("[^0-9]*"));
    }
    assertThat(scores, everyItem(allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(5))));
    assertThat("scores spread", new HashSet<>(scores).size(), greaterThanOrEqualTo(3));
  }

  @Test
  void theRubricDecidesTheScale() {
    Set<Integer> scores = new HashSet<>();
    Pattern twoDigits = Pattern.compile("\\[RESULT\\] (\\d+)$");
    for (int i = 0; i < 40; i++) {
      String response = client.chat("sim-m2", SimTestClient.prompt(i), i);
      String judgment =
          client.chat("sim-judge-strict", SimTestClient.absolutePrompt("Explain.", response, null, 10), 0);
      Matcher m = twoDigits.matcher(judgment);
      assertThat(judgment, m.find(), is(true));
      scores.add(Integer.parseInt(m.group(1)));
    }
    assertThat(scores, everyItem(allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(10))));
    assertThat(scores.stream().anyMatch(s -> s > 5), is(true));
  }

  @Test
  void pairwiseJudgmentsNameAWinnerOrATie() {
    Set<String> verdicts = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      String a = client.chat("sim-m0", SimTestClient.prompt(i), i);
      String b = client.chat("sim-m2", SimTestClient.prompt(i), i);
      String judgment = client.chat("sim-m1", SimTestClient.pairwisePrompt(SimTestClient.prompt(i), a, b), 0);
      Matcher m = PAIRWISE_RESULT.matcher(judgment);
      if (m.find()) {
        verdicts.add(m.group(1));
      }
    }
    assertThat(verdicts, hasItem("A"));
    assertThat(verdicts, hasItem("B"));
  }

  @Test
  void judgeWithEqualResponsesTies() {
    String r = "The careful method explains the evidence clearly and the robust answer supports the outcome.";
    ModelProfile exact = ModelProfile.builder("sim-exact").exact().build();
    try (Simulator s = Simulator.start(SimulatorConfig.defaults().withModel(exact))) {
      String judgment = new SimTestClient(s).chat("sim-exact", SimTestClient.pairwisePrompt("Explain.", r, r), 0);
      assertThat(judgment, matchesPattern(".*\\[RESULT\\] tie$"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() {
    String body = SimTestClient.chatBody("sim-m0", "Explain recursion in depth.", 1, 0.7, 1)
        .replace("\"max_tokens\":512", "\"max_tokens\":3");
    JsonNode root = client.postOk("/chat/completions", body);
    assertThat(root.at("/choices/0/finish_reason").asText(), is("length"));
    assertThat(root.at("/choices/0/message/content").asText().split("\\s+").length, is(3));
    assertThat(root.at("/usage/completion_tokens").asInt(), is(3));
  }

  @Test
  void modelsAreListedAsSimulated() {
    HttpResponse<String> r = client.get("/models");
    assertThat(r.statusCode(), is(200));
    JsonNode root = SimTestClient.parse(r.body());
    assertThat(root.get("object").asText(), is("list"));
    List<String> ids = new ArrayList<>();
    for (JsonNode m : root.get("data")) {
      ids.add(m.get("id").asText());
      assertThat(m.get("owned_by").asText(), is("assay-simulator"));
      assertThat(m.get("object").asText(), is("model"));
    }
    assertThat(ids, equalTo(List.of("sim-m0", "sim-m1", "sim-m2", "sim-m3", "sim-judge-strict", "sim-judge-lenient")));
    assertThat(client.get("/models/sim-m2").statusCode(), is(200));
    assertThat(client.get("/models/gpt-4").statusCode(), is(404));
  }

  @Test
  void unknownModelIs404WithAnOpenAiError() {
    HttpResponse<String> r = client.post("/chat/completions", SimTestClient.chatBody("gpt-4o", "Hi", 0, 1, 1));
    assertThat(r.statusCode(), is(404));
    JsonNode e = SimTestClient.parse(r.body()).get("error");
    assertThat(e.get("code").asText(), is("model_not_found"));
    assertThat(e.get("param").asText(), is("model"));
    assertThat(e.get("message").asText(), containsString("gpt-4o"));
    assertThat(client.post("/completions", "{\"model\":\"nope\",\"prompt\":\"x\"}").statusCode(), is(404));
  }

  @Test
  void badRequestsAre400() {
    for (String bad : List.of(
        "{not json",
        "",
        "[1,2]",
        "{\"model\":\"sim-m0\"}",
        "{\"model\":\"sim-m0\",\"messages\":[]}",
        "{\"model\":\"sim-m0\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":\"hot\"}",
        "{\"model\":\"sim-m0\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":0}",
        "{\"model\":\"sim-m0\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":1.5}",
        "{\"model\":\"sim-m0\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true}",
        "{\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")) {
      HttpResponse<String> r = client.post("/chat/completions", bad);
      assertThat(bad, r.statusCode(), is(400));
      assertThat(SimTestClient.parse(r.body()).at("/error/type").asText(), is("invalid_request_error"));
    }
  }

  @Test
  void unknownPathsAndWrongMethodsAreErrors() {
    assertThat(client.post("/embeddings", "{}").statusCode(), is(404));
    assertThat(client.get("/chat/completions").statusCode(), is(405));
  }

  @Test
  void contentPartsAreAcceptedLikeStrings() {
    String head = "{\"model\":\"sim-m1\",\"seed\":4,\"messages\":[{\"role\":\"user\",\"content\":";
    String parts = head + "[{\"type\":\"text\",\"text\":\"Explain orbits.\"}]}]}";
    String plain = head + "\"Explain orbits.\"}]}";
    assertThat(client.postOk("/chat/completions", parts).at("/choices/0/message/content").asText(),
        is(client.postOk("/chat/completions", plain).at("/choices/0/message/content").asText()));
  }

  @Test
  void bannerSaysSimulator() {
    assertThat(sim.banner(), containsString("SIMULATOR"));
    assertThat(sim.banner(), containsString(sim.baseUrl()));
    assertThat(sim.port(), greaterThan(0));
    assertThat(sim.baseUrl(), is("http://127.0.0.1:" + sim.port() + "/v1"));
  }
}
