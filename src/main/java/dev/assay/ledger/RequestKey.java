package dev.assay.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Hashing;
import dev.assay.io.Json;
import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.CompletionRequest;

/**
 * The ledger key of a request: SHA-256 over the canonical JSON of everything that determines the answer (model,
 * template version, rendered messages, sampling parameters, seed, sample index).
 *
 * <p>The endpoint URL and API key are deliberately left out: the same model behind another URL gives the same
 * answer, and a key must never reach a file. The template version is included even though the rendered messages
 * already reflect the template, so that a template change with identical output for some input still starts fresh
 * for the changed version.
 */
public final class RequestKey {
  private RequestKey() {}

  /** Key of one sample of a chat request. */
  public static String chat(ChatRequest request, String templateVersion, int sampleIndex) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("api", "chat");
    node.put("model", request.model());
    node.put("template", templateVersion == null ? "" : templateVersion);
    ArrayNode messages = node.putArray("messages");
    for (ChatMessage m : request.messages()) {
      messages.addObject().put("role", m.role()).put("content", m.content());
    }
    node.put("temperature", request.temperature());
    node.put("top_p", request.topP());
    node.put("max_tokens", request.maxTokens());
    node.put("n", request.n());
    if (request.seed() == null) {
      node.putNull("seed");
    } else {
      node.put("seed", request.seed());
    }
    // Added only when set, so the keys of every request without them, and the ledgers holding those, stay valid.
    if (request.responseFormat() != null) {
      node.put("response_format_name", request.responseFormat().name());
      node.set("response_format_schema", request.responseFormat().schema());
    }
    if (request.topLogprobs() != null) {
      node.put("top_logprobs", request.topLogprobs());
    }
    node.put("sample", sampleIndex);
    return sha256(Json.line(node));
  }

  /** Key of a completions (log-prob scoring) request. */
  public static String completion(CompletionRequest request) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("api", "completions");
    node.put("model", request.model());
    node.put("prompt", request.prompt());
    node.put("max_tokens", request.maxTokens());
    node.put("echo", request.echo());
    if (request.logprobs() == null) {
      node.putNull("logprobs");
    } else {
      node.put("logprobs", request.logprobs());
    }
    node.put("temperature", request.temperature());
    if (request.seed() == null) {
      node.putNull("seed");
    } else {
      node.put("seed", request.seed());
    }
    return sha256(Json.line(node));
  }

  private static String sha256(String text) {
    return Hashing.sha256(text);
  }
}
