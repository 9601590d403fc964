package dev.assay.llm;

import java.util.List;
import java.util.Objects;

/**
 * A chat-completions request. Every field that changes the answer is here, so its hash is a faithful ledger key.
 *
 * @param model the served model name
 * @param messages the rendered conversation
 * @param temperature sampling temperature, >= 0
 * @param topP nucleus sampling, in (0, 1]
 * @param maxTokens completion token limit, > 0
 * @param n number of choices, >= 1
 * @param seed the sampling seed sent to the server, or null
 */
public record ChatRequest(
    String model, List<ChatMessage> messages, double temperature, double topP, int maxTokens, int n, Long seed) {
  public ChatRequest {
    Objects.requireNonNull(model, "model");
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    if (temperature < 0) {
      throw new IllegalArgumentException("temperature must be >= 0: " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top_p must be in (0, 1]: " + topP);
    }
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("max_tokens must be > 0: " + maxTokens);
    }
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
  }
}
