package dev.assay.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import dev.assay.rewards.implicit.ResponseLogprobs;
import dev.assay.rewards.implicit.ScoringFormat;
import dev.assay.rewards.implicit.UnusableLogprobsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiJson} reads what llama.cpp's {@code llama-server} really answered (recorded by {@code
 * scripts/llama-server record}; see {@code src/test/resources/fixtures/llama.cpp/README.md}). Runs without a server,
 * so the parsers stay tested where the servers are not built. Expected values come from each fixture's request or
 * from another field of the same body, never typed in from the answer.
 */
class LlamaCppFixturesTest {
  private static String text(String name) {
    String path = "/fixtures/llama.cpp/" + name;
    try (InputStream in = LlamaCppFixturesTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new AssertionError("fixture missing from the test classpath: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode body(String name) {
    return OpenAiJson.parse(text(name + ".json"));
  }

  /** What was sent: the {@code body} of NAME.request.json. */
  private static JsonNode sent(String name) {
    try {
      return Json.mapper().readTree(text(name + ".request.json")).path("body");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theModelListNamesTheServedAlias() {
    List<String> ids = OpenAiJson.modelIds(body("models"));

    assertThat(ids, hasItem(sent("chat").path("model").asText()));
  }

  @Test
  void aChatCompletionHasUsageAndAFinishReason() {
    JsonNode root = body("chat");

    ChatResponse r = OpenAiJson.chat(root, "asked");

    assertThat(r.model(), is(root.path("model").asText()));
    assertThat(r.choices(), hasSize(1));
    assertThat(r.choices().get(0).finishReason(), is(oneOf("stop", "length")));
    assertThat(r.choices().get(0).content().isEmpty(), is(false));
    assertThat(r.choices().get(0).logprobs(), is(empty()));
    assertThat(r.usage().completionTokens(), lessThanOrEqualTo(sent("chat").path("max_tokens").asLong()));
    assertThat(r.usage().promptTokens(), is(root.path("usage").path("prompt_tokens").asLong()));
  }

  @Test
  void chatLogprobsAreReadFromTheChatShape() {
    ChatResponse r = OpenAiJson.chat(body("chat-logprobs"), "asked");

    ChatChoice choice = r.choices().get(0);
    assertThat(choice.logprobs(), hasSize((int) r.usage().completionTokens()));
    assertThat(choice.logprobs().stream().map(TokenLogprob::token).reduce("", String::concat), is(choice.content()));
    int asked = sent("chat-logprobs").path("top_logprobs").asInt();
    for (TokenLogprob t : choice.logprobs()) {
      assertThat(t.logprob(), lessThanOrEqualTo(0.0));
      assertThat(t.topLogprobs(), hasSize(asked));
      // bytes are the token's UTF-8: the server's own account of the text, checked against its token string.
      byte[] utf8 = new byte[t.bytes().size()];
      for (int i = 0; i < utf8.length; i++) {
        utf8[i] = t.bytes().get(i).byteValue();
      }
      assertThat(new String(utf8, StandardCharsets.UTF_8), is(t.token()));
    }
  }

  @Test
  void structuredOutputIsJsonOfTheRequestedSchema() throws IOException {
    ChatChoice choice = OpenAiJson.chat(body("chat-structured"), "asked").choices().get(0);
    JsonNode schema = sent("chat-structured").path("response_format").path("json_schema").path("schema");

    JsonNode answer = Json.mapper().readTree(choice.content());

    assertThat(choice.content(), answer.path("score").isInt(), is(true));
    int score = answer.path("score").asInt();
    assertThat(score >= schema.at("/properties/score/minimum").asInt(), is(true));
    assertThat(score <= schema.at("/properties/score/maximum").asInt(), is(true));
    assertThat(answer.path("rationale").asText().length(), lessThanOrEqualTo(schema.at("/properties/rationale/maxLength").asInt()));
  }

  @Test
  void completionsAnswerWithoutTheEchoedPromptSoNoPromptCanBeScored() {
    JsonNode request = sent("completions-echo");
    CompletionResponse r = OpenAiJson.completion(body("completions-echo"), "asked");

    assertThat(request.path("echo").asBoolean(), is(true));
    // Generated tokens only, in the chat shape: no prompt tokens, no text offsets.
    assertThat(r.tokens(), hasSize((int) r.usage().completionTokens()));
    assertThat(r.tokens(), not(empty()));
    assertThat(r.textOffsets(), is(empty()));
    assertThat(r.text().startsWith(request.path("prompt").asText()), is(false));
    assertThat(r.tokenLogprobs(), everyItem(lessThanOrEqualTo(0.0)));

    String prompt = request.path("prompt").asText();
    int cut = prompt.indexOf("\nAssistant: ");
    ScoringFormat.Joined joined =
        ScoringFormat.TRANSCRIPT.join(prompt.substring("User: ".length(), cut), prompt.substring(cut + "\nAssistant: ".length()));
    assertThat(joined.text(), is(prompt));
    UnusableLogprobsException e = assertThrows(UnusableLogprobsException.class, () -> ResponseLogprobs.of(r, joined));
    assertThat(e.getMessage(), containsString("text_offset"));
  }

  @Test
  void aRejectedRequestKeepsTheServersWords() {
    String said = OpenAiJson.errorExcerpt(text("error-400.json"));

    assertThat(said, containsString("context"));
    assertThat(said, is(OpenAiJson.excerpt(body("error-400").path("error").path("message").asText())));
  }
}
