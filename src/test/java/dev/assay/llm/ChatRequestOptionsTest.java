package dev.assay.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import dev.assay.ledger.RequestKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Structured output and chat log-probs on a chat request: what goes on the wire, and how they enter the ledger key
 * without changing the key of any request that does not use them.
 */
class ChatRequestOptionsTest {
  private static final List<ChatMessage> MESSAGES = List.of(ChatMessage.user("Grade it."));
  /** RequestKey.chat of the plain request below, computed by the code before these options existed. */
  private static final String PLAIN_KEY = "5c9b333bc775dcf6e80f242d6c70aeda2f44a91993ce9e6e52bb01a00bb405f9";

  private static ObjectNode schema() {
    ObjectNode schema = Json.mapper().createObjectNode().put("type", "object");
    schema.putObject("properties").putObject("score").put("type", "integer");
    return schema;
  }

  private static ChatRequest request(ResponseFormat format, Integer topLogprobs) {
    return new ChatRequest("m", MESSAGES, 0.5, 1.0, 64, 1, 9L, format, topLogprobs);
  }

  @Test
  void aPlainRequestSendsNeitherOption() {
    JsonNode body = OpenAiJson.chatBody(new ChatRequest("m", MESSAGES, 0.5, 1.0, 64, 1, 9L));

    assertThat(body.has("response_format"), is(false));
    assertThat(body.has("logprobs"), is(false));
    assertThat(body.has("top_logprobs"), is(false));
  }

  @Test
  void aSchemaIsSentAsAStrictJsonSchemaResponseFormat() {
    JsonNode body = OpenAiJson.chatBody(request(new ResponseFormat("grade", schema()), null));

    JsonNode format = body.path("response_format");
    assertThat(format.path("type").asText(), is("json_schema"));
    assertThat(format.path("json_schema").path("name").asText(), is("grade"));
    assertThat(format.path("json_schema").path("strict").asBoolean(), is(true));
    assertThat(format.path("json_schema").path("schema"), is(schema()));
  }

  @Test
  void topLogprobsAskForLogprobs() {
    JsonNode body = OpenAiJson.chatBody(request(null, 3));

    assertThat(body.path("logprobs").asBoolean(), is(true));
    assertThat(body.path("top_logprobs").asInt(), is(3));
  }

  @Test
  void theFormatKeepsItsOwnCopyOfTheSchema() {
    ObjectNode mine = schema();
    ResponseFormat format = new ResponseFormat("grade", mine);
    mine.put("type", "array");
    format.schema().withObject("/properties").removeAll();

    assertThat(format.schema(), is(schema()));
  }

  @Test
  void badOptionsAreTheCallersMistake() {
    assertThrows(IllegalArgumentException.class, () -> new ResponseFormat("has space", schema()));
    assertThrows(IllegalArgumentException.class, () -> new ResponseFormat("g", Json.mapper().createArrayNode()));
    assertThrows(IllegalArgumentException.class, () -> request(null, ChatRequest.MAX_TOP_LOGPROBS + 1));
    assertThrows(IllegalArgumentException.class, () -> request(null, -1));
  }

  @Test
  void theOptionsChangeTheLedgerKeyAndTheirAbsenceDoesNot() {
    String plain = RequestKey.chat(new ChatRequest("m", MESSAGES, 0.5, 1.0, 64, 1, 9L), "v1", 0);

    // The key this request had before the options existed: ledgers written then still answer it.
    assertThat(plain, is(PLAIN_KEY));
    assertThat(RequestKey.chat(request(null, null), "v1", 0), is(plain));
    assertThat(RequestKey.chat(request(new ResponseFormat("grade", schema()), null), "v1", 0), not(is(plain)));
    assertThat(RequestKey.chat(request(null, 3), "v1", 0), not(is(plain)));
    assertThat(RequestKey.chat(request(null, 3), "v1", 0), not(is(RequestKey.chat(request(null, 2), "v1", 0))));
  }
}
