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
 * @param responseFormat the JSON schema the answer must follow (structured output), or null for free text
 * @param topLogprobs null for no log-probs; 0 to 20 to ask for each generated token's log-prob ({@code logprobs:
 *     true}) with that many alternatives ({@code top_logprobs})
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    double temperature,
    double topP,
    int maxTokens,
    int n,
    Long seed,
    ResponseFormat responseFormat,
    Integer topLogprobs) {
  /** OpenAI's ceiling for {@code top_logprobs}; vLLM and llama.cpp accept at least as many. */
  public static final int MAX_TOP_LOGPROBS = 20;

  /** A free-text request without log-probs. */
  public ChatRequest(
      String model, List<ChatMessage> messages, double temperature, double topP, int maxTokens, int n, Long seed) {
    this(model, messages, temperature, topP, maxTokens, n, seed, null, null);
  }

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
    if (topLogprobs != null && (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS)) {
      throw new IllegalArgumentException("top_logprobs must be in [0, " + MAX_TOP_LOGPROBS + "]: " + topLogprobs);
    }
  }
}
