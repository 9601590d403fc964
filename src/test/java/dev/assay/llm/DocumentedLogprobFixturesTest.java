package dev.assay.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.rewards.implicit.ResponseLogprobs;
import dev.assay.rewards.implicit.ScoringFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The implicit reward's parsers on every documented shape of prompt log-probs: OpenAI's and vLLM's legacy {@code
 * echo} + {@code logprobs}, and vLLM's own {@code prompt_logprobs} with and without token ids (fixtures and their
 * sources: {@code src/test/resources/fixtures/documented/README.md}). Each must give the response part the same
 * tokens and log-probs: those the OpenAI fixture's legacy lists hold from the response's start on.
 */
class DocumentedLogprobFixturesTest {
  private static final ScoringFormat.Joined SENT = ScoringFormat.TRANSCRIPT.join("Say hello.", "Hello there.");

  private static JsonNode body(String name) {
    String path = "/fixtures/documented/" + name + ".json";
    try (InputStream in = DocumentedLogprobFixturesTest.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new AssertionError("fixture missing from the test classpath: " + path);
      }
      return OpenAiJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The response's share of the OpenAI fixture, read straight from its lists: tokens that end after char 28. */
  private static double expectedSum() {
    JsonNode lp = body("openai-completions-echo").path("choices").get(0).path("logprobs");
    double sum = 0;
    for (int i = 0; i < lp.path("tokens").size(); i++) {
      int end = lp.path("text_offset").get(i).asInt() + lp.path("tokens").get(i).asText().length();
      if (end > SENT.responseStart()) {
        sum += lp.path("token_logprobs").get(i).asDouble();
      }
    }
    return sum;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "openai-completions-echo",
        "vllm-completions-echo",
        "vllm-completions-prompt-logprobs",
        "vllm-completions-prompt-logprobs-ids"
      })
  void everyShapeScoresTheSameResponseTokens(String fixture) {
    CompletionResponse response = OpenAiJson.completion(body(fixture), "m");

    ResponseLogprobs scored = ResponseLogprobs.of(response, SENT);

    assertThat(scored.tokens(), contains(" Hello", " there", "."));
    assertThat(scored.sum(), closeTo(expectedSum(), 1e-12));
  }

  @Test
  void theLegacyListsWinOverPromptLogprobsWhenBothCame() {
    CompletionResponse response = OpenAiJson.completion(body("vllm-completions-echo"), "m");

    // The legacy lists include the generated token; prompt_logprobs would not.
    assertThat(response.tokens().get(response.tokens().size() - 1), is("\n"));
    assertThat(response.textOffsets().size(), is(response.tokens().size()));
  }

  @Test
  void severalEntriesWithoutTokenIdsAreABadBody() {
    ObjectNode root = body("vllm-completions-prompt-logprobs-ids").deepCopy();
    ((ObjectNode) root.path("choices").get(0)).remove("prompt_token_ids");

    RuntimeException e = assertThrows(RuntimeException.class, () -> OpenAiJson.completion(root, "m"));

    assertThat(e.getMessage(), containsString("no prompt_token_ids say which was the prompt's"));
  }
}
