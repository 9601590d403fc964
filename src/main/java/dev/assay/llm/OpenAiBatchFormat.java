package dev.assay.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;

/**
 * The OpenAI batch file format, one JSON object per line: request lines ({@code custom_id}, {@code method}, {@code
 * url}, {@code body}) and output lines ({@code id}, {@code custom_id}, {@code response: {status_code, request_id,
 * body}}, {@code error}), which OpenAI's Batch API and {@code vllm run-batch} both write.
 *
 * <p>Request bodies are built by the same code as the live client's, so a request answered from a batch file is the
 * request the client would have sent, and responses are parsed by the same code as live ones (model check included).
 *
 * <p>Failure modes: {@link #output} throws {@link BadLineException} naming the missing or mistyped field;
 * {@link #chatResponse} and {@link #completionResponse} throw {@link MalformedResponseException} for a body that is not
 * a usable response.
 */
public final class OpenAiBatchFormat {
  /** The {@code url} of chat requests. */
  public static final String CHAT_URL = "/v1/chat/completions";

  /** The {@code url} of completions (log-prob scoring) requests; {@code vllm run-batch} does not take them. */
  public static final String COMPLETIONS_URL = "/v1/completions";

  private OpenAiBatchFormat() {}

  /** An output line without a field the format requires; {@link #field} names it. */
  public static final class BadLineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    BadLineException(String field, String problem) {
      super(problem);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /** The request line of a chat request. */
  public static ObjectNode chatLine(String customId, ChatRequest request) {
    return line(customId, CHAT_URL, OpenAiJson.chatBody(request));
  }

  /** The request line of a completions request. */
  public static ObjectNode completionLine(String customId, CompletionRequest request) {
    return line(customId, COMPLETIONS_URL, OpenAiJson.completionBody(request));
  }

  private static ObjectNode line(String customId, String url, ObjectNode body) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("custom_id", customId);
    line.put("method", "POST");
    line.put("url", url);
    line.set("body", body);
    return line;
  }

  /**
   * One output line: the answer to request {@code customId}, or why there is none.
   *
   * @param customId the request line's {@code custom_id}
   * @param status the HTTP status the server gave, or 0 when the line has no {@code response}
   * @param body the response body (a chat or completions response) when the status is 2xx, else null
   * @param error what the line says went wrong (its {@code error}, or the error body), null when answered
   */
  public record Output(String customId, int status, JsonNode body, String error) {
    /** Whether the line carries an answer. */
    public boolean answered() {
      return error == null && body != null && status >= 200 && status < 300;
    }
  }

  /**
   * Reads one output line.
   *
   * @throws BadLineException naming the field when {@code custom_id} is missing or {@code response} is not an object
   */
  public static Output output(JsonNode line) {
    JsonNode id = line.get("custom_id");
    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
      throw new BadLineException("custom_id", "missing or not a string");
    }
    JsonNode response = line.get("response");
    JsonNode error = line.get("error");
    String said = error == null || error.isNull() ? null : errorText(error);
    if (response == null || response.isNull()) {
      return new Output(id.asText(), 0, null, said == null ? "no response and no error" : said);
    }
    if (!response.isObject()) {
      throw new BadLineException("response", "not an object");
    }
    int status = response.path("status_code").asInt(200);
    JsonNode body = response.get("body");
    boolean ok = status >= 200 && status < 300 && body != null && body.isObject();
    if (said == null && !ok) {
      said = "status " + status + (body == null || body.isNull() ? ", no body" : ": " + OpenAiJson.errorExcerpt(body.toString()));
    }
    return new Output(id.asText(), status, ok ? body : null, said);
  }

  private static String errorText(JsonNode error) {
    if (error.isTextual()) {
      return OpenAiJson.excerpt(error.asText());
    }
    JsonNode message = error.get("message");
    String code = error.path("code").asText("");
    String text = message != null && message.isTextual() ? message.asText() : error.toString();
    return OpenAiJson.excerpt(code.isEmpty() ? text : code + ": " + text);
  }

  /** The chat response in an answered line's body, checked as a live one is against the model asked. */
  public static ChatResponse chatResponse(JsonNode body, String requestedModel) {
    try {
      return OpenAiJson.chat(body, requestedModel);
    } catch (OpenAiJson.BadBody e) {
      throw new MalformedResponseException(e.getMessage(), 1, e);
    }
  }

  /** The completions response in an answered line's body, checked as a live one is against the model asked. */
  public static CompletionResponse completionResponse(JsonNode body, String requestedModel) {
    try {
      return OpenAiJson.completion(body, requestedModel);
    } catch (OpenAiJson.BadBody e) {
      throw new MalformedResponseException(e.getMessage(), 1, e);
    }
  }
}
