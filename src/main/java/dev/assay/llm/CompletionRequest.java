package dev.assay.llm;

import java.util.Objects;

/**
 * A legacy completions request, used to score text: with {@code echo} and {@code logprobs} the server returns the
 * log-probability of every prompt token (how the implicit DPO reward is computed).
 *
 * @param model the served model name
 * @param prompt the text to continue or score
 * @param maxTokens tokens to generate (0 with echo: score only)
 * @param echo return the prompt tokens with their log-probs
 * @param logprobs number of top alternatives per token (0 = only the chosen token's), or null for none
 * @param temperature sampling temperature
 * @param seed sampling seed or null
 */
public record CompletionRequest(
    String model, String prompt, int maxTokens, boolean echo, Integer logprobs, double temperature, Long seed) {
  public CompletionRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(prompt, "prompt");
    if (maxTokens < 0) {
      throw new IllegalArgumentException("max_tokens must be >= 0: " + maxTokens);
    }
  }
}
