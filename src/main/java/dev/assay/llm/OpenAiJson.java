package dev.assay.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The OpenAI wire format: request bodies out, response trees in. Responses are read as {@link JsonNode} trees, not
 * bound to records, because servers add fields freely (vLLM, llama.cpp and OpenAI all differ) while the shared
 * mapper fails on unknown properties. A reply is outside-world data: anything unusable is a {@link BadBody}.
 */
final class OpenAiJson {
  private static final int EXCERPT_CHARS = 300;

  private OpenAiJson() {}

  /** A 2xx body that cannot be used; becomes a {@link MalformedResponseException} once attempts are known. */
  static final class BadBody extends RuntimeException {
    BadBody(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static ObjectNode chatBody(ChatRequest r) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("model", r.model());
    var messages = body.putArray("messages");
    for (ChatMessage m : r.messages()) {
      messages.addObject().put("role", m.role()).put("content", m.content());
    }
    body.put("temperature", r.temperature());
    body.put("top_p", r.topP());
    body.put("max_tokens", r.maxTokens());
    body.put("n", r.n());
    if (r.seed() != null) {
      body.put("seed", r.seed());
    }
    if (r.responseFormat() != null) {
      ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
      schema.put("name", r.responseFormat().name()).put("strict", true).set("schema", r.responseFormat().schema());
    }
    if (r.topLogprobs() != null) {
      body.put("logprobs", true);
      body.put("top_logprobs", r.topLogprobs());
    }
    return body;
  }

  static ObjectNode completionBody(CompletionRequest r) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("model", r.model());
    body.put("prompt", r.prompt());
    body.put("max_tokens", r.maxTokens());
    body.put("echo", r.echo());
    if (r.logprobs() != null) {
      body.put("logprobs", r.logprobs());
    }
    body.put("temperature", r.temperature());
    if (r.seed() != null) {
      body.put("seed", r.seed());
    }
    return body;
  }

  static JsonNode parse(String body) {
    try {
      JsonNode root = Json.mapper().readTree(body);
      if (root == null || !root.isObject()) {
        throw new BadBody("body is not a JSON object: " + excerpt(body), null);
      }
      return root;
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input; keep ours short and controlled.
      throw new BadBody("body is not valid JSON (" + e.getOriginalMessage() + "): " + excerpt(body), e);
    }
  }

  static ChatResponse chat(JsonNode root, String requestedModel) {
    JsonNode choices = choices(root);
    List<ChatChoice> parsed = new ArrayList<>();
    for (int i = 0; i < choices.size(); i++) {
      JsonNode c = choices.get(i);
      JsonNode message = c.get("message");
      if (message == null || !message.isObject()) {
        throw new BadBody("choice " + i + " has no message object: " + excerpt(root.toString()), null);
      }
      // content is null when a model answers only with reasoning or tool calls; ChatChoice makes that "".
      JsonNode content = message.get("content");
      parsed.add(
          new ChatChoice(
              c.path("index").asInt(i),
              content == null || content.isNull() ? null : content.asText(),
              text(c, "finish_reason"),
              chatLogprobs(c.get("logprobs"), "choice " + i)));
    }
    parsed.sort(Comparator.comparingInt(ChatChoice::index));
    return new ChatResponse(model(root, requestedModel), parsed, usage(root));
  }

  static CompletionResponse completion(JsonNode root, String requestedModel) {
    JsonNode choice = choices(root).get(0);
    JsonNode text = choice.get("text");
    if (text == null || !text.isTextual()) {
      throw new BadBody("choices[0] has no text: " + excerpt(root.toString()), null);
    }
    List<String> tokens = new ArrayList<>();
    List<Double> logprobs = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    JsonNode lp = choice.get("logprobs");
    if (lp != null && lp.isObject() && !lp.has("tokens") && lp.has("content")) {
      // The chat shape, which llama.cpp's server uses here too: generated tokens only, no text offsets, even when
      // echo was asked for. Read as it is; ResponseLogprobs says why it cannot score a prompt from it.
      for (TokenLogprob t : chatLogprobs(lp, "choices[0]")) {
        tokens.add(t.token());
        logprobs.add(t.logprob());
      }
    } else if (lp != null && lp.isObject()) {
      for (JsonNode t : lp.path("tokens")) {
        tokens.add(t.asText());
      }
      for (JsonNode v : lp.path("token_logprobs")) {
        logprobs.add(v.isNumber() ? v.asDouble() : null);
      }
      for (JsonNode o : lp.path("text_offset")) {
        offsets.add(o.asInt());
      }
      // Rewards are computed by zipping these lists: misaligned lists would silently score the wrong tokens.
      if (tokens.size() != logprobs.size() || (!offsets.isEmpty() && offsets.size() != tokens.size())) {
        throw new BadBody(
            "logprobs lists differ in length: tokens "
                + tokens.size()
                + ", token_logprobs "
                + logprobs.size()
                + ", text_offset "
                + offsets.size(),
            null);
      }
    }
    JsonNode promptLogprobs = choice.get("prompt_logprobs");
    if (tokens.isEmpty() && promptLogprobs != null && promptLogprobs.isArray()) {
      return promptLogprobs(root, choice, promptLogprobs, requestedModel);
    }
    return new CompletionResponse(
        model(root, requestedModel),
        text.asText(),
        tokens,
        logprobs,
        offsets,
        text(choice, "finish_reason"),
        usage(root));
  }

  /**
   * vLLM's own shape of prompt log-probs ({@code prompt_logprobs: N} on {@code /v1/completions}, without {@code echo}):
   * per prompt token, null (the first token, which nothing precedes) or an object from token id to {@code {logprob,
   * rank, decoded_token}} holding the prompt's token and up to N likelier ones. The prompt's own token is the one
   * {@code prompt_token_ids} names when the server sent them ({@code return_token_ids}), else the only entry (N = 0).
   * Read as if echoed: the tokens are the decoded prompt tokens with code-point offsets into their concatenation,
   * which is the response's text; a null position has an empty token (its text is unknown, so the text may lack the
   * prompt's first token, which {@code ResponseLogprobs} allows). Several entries and no ids is a bad body: which one
   * was the prompt's cannot be known.
   */
  private static CompletionResponse promptLogprobs(JsonNode root, JsonNode choice, JsonNode positions, String requestedModel) {
    JsonNode ids = choice.get("prompt_token_ids");
    boolean haveIds = ids != null && ids.isArray() && ids.size() == positions.size();
    List<String> tokens = new ArrayList<>();
    List<Double> logprobs = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int codePoints = 0;
    for (int i = 0; i < positions.size(); i++) {
      JsonNode position = positions.get(i);
      offsets.add(codePoints);
      if (position == null || position.isNull()) {
        tokens.add("");
        logprobs.add(null);
        continue;
      }
      JsonNode entry;
      if (haveIds) {
        entry = position.get(ids.get(i).asText());
      } else if (position.isObject() && position.size() == 1) {
        entry = position.elements().next();
      } else {
        throw new BadBody(
            "prompt_logprobs[" + i + "] lists " + position.size() + " tokens and no prompt_token_ids say which was the"
                + " prompt's (ask for prompt_logprobs 0): " + excerpt(position.toString()),
            null);
      }
      if (entry == null || !entry.path("logprob").isNumber() || !entry.path("decoded_token").isTextual()) {
        throw new BadBody(
            "prompt_logprobs[" + i + "] has no logprob and decoded_token for the prompt's token: "
                + excerpt(position.toString()),
            null);
      }
      String token = entry.get("decoded_token").asText();
      tokens.add(token);
      logprobs.add(entry.get("logprob").asDouble());
      text.append(token);
      codePoints += token.codePointCount(0, token.length());
    }
    return new CompletionResponse(
        model(root, requestedModel), text.toString(), tokens, logprobs, offsets, text(choice, "finish_reason"), usage(root));
  }

  /**
   * The chat shape of log-probs, {@code {content: [{token, logprob, bytes, top_logprobs: [...]}]}}: empty when the
   * choice has none ({@code logprobs} absent or null, or {@code content} null); an entry without a token or a numeric
   * log-prob is a bad body, since a reward summed over it would be silently wrong.
   */
  private static List<TokenLogprob> chatLogprobs(JsonNode logprobs, String where) {
    if (logprobs == null || logprobs.isNull()) {
      return List.of();
    }
    JsonNode content = logprobs.get("content");
    if (content == null || content.isNull()) {
      return List.of();
    }
    if (!content.isArray()) {
      throw new BadBody(where + ": logprobs.content is not an array: " + excerpt(logprobs.toString()), null);
    }
    List<TokenLogprob> out = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      JsonNode entry = content.get(i);
      List<TokenLogprob> top = new ArrayList<>();
      for (JsonNode alternative : entry.path("top_logprobs")) {
        top.add(tokenLogprob(alternative, List.of(), where + " logprobs.content[" + i + "].top_logprobs"));
      }
      out.add(tokenLogprob(entry, top, where + " logprobs.content[" + i + "]"));
    }
    return out;
  }

  private static TokenLogprob tokenLogprob(JsonNode entry, List<TokenLogprob> top, String where) {
    JsonNode token = entry.get("token");
    JsonNode logprob = entry.get("logprob");
    if (token == null || !token.isTextual() || logprob == null || !logprob.isNumber()) {
      throw new BadBody(where + " needs a token and a numeric logprob: " + excerpt(entry.toString()), null);
    }
    List<Integer> bytes = new ArrayList<>();
    for (JsonNode b : entry.path("bytes")) {
      bytes.add(b.asInt());
    }
    return new TokenLogprob(token.asText(), logprob.asDouble(), bytes, top);
  }

  static List<String> modelIds(JsonNode root) {
    return listedModels(root).stream().map(ListedModel::id).toList();
  }

  /** The model list with each entry's {@code owned_by}; entries without an id are skipped. */
  static List<ListedModel> listedModels(JsonNode root) {
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      throw new BadBody("models list has no data array: " + excerpt(root.toString()), null);
    }
    List<ListedModel> models = new ArrayList<>();
    for (JsonNode m : data) {
      String id = text(m, "id");
      if (id != null) {
        models.add(new ListedModel(id, text(m, "owned_by")));
      }
    }
    return List.copyOf(models);
  }

  /**
   * A short, single-line excerpt of an error body: the OpenAI {@code error.message}, FastAPI's {@code detail} or a
   * bare {@code message} when present, the raw text otherwise.
   */
  static String errorExcerpt(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String said = body;
    try {
      JsonNode root = Json.mapper().readTree(body);
      if (root != null && root.isObject()) {
        JsonNode error = root.get("error");
        if (error != null && error.isObject() && error.hasNonNull("message")) {
          said = error.get("message").asText();
        } else if (error != null && error.isTextual()) {
          said = error.asText();
        } else if (root.hasNonNull("message")) {
          said = root.get("message").asText();
        } else if (root.hasNonNull("detail")) {
          JsonNode detail = root.get("detail");
          said = detail.isTextual() ? detail.asText() : detail.toString();
        }
      }
    } catch (JsonProcessingException notJson) {
      // Plain-text or HTML error pages are common behind proxies; the raw text is the best excerpt.
    }
    return excerpt(said);
  }

  static String excerpt(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= EXCERPT_CHARS ? line : line.substring(0, EXCERPT_CHARS) + "...";
  }

  private static JsonNode choices(JsonNode root) {
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      String error = root.has("error") ? " (server said: " + errorExcerpt(root.toString()) + ")" : "";
      throw new BadBody("body has no choices" + error + ": " + excerpt(root.toString()), null);
    }
    for (JsonNode c : choices) {
      if (!c.isObject()) {
        throw new BadBody("a choice is not an object: " + excerpt(root.toString()), null);
      }
    }
    return choices;
  }

  private static TokenUsage usage(JsonNode root) {
    JsonNode u = root.get("usage");
    if (u == null || !u.isObject()) {
      return TokenUsage.NONE;
    }
    return new TokenUsage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0));
  }

  private static String model(JsonNode root, String requestedModel) {
    String served = text(root, "model");
    return served == null ? requestedModel : served;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
