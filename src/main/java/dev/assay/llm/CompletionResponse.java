package dev.assay.llm;

import java.util.List;

/**
 * A parsed completion with its per-token log-probs (empty lists when not requested). With echo, the tokens cover
 * the prompt followed by any generated text; {@code textOffsets} are character offsets into that text. The first
 * token's log-prob may be null (servers cannot score the first token).
 */
public record CompletionResponse(
    String model,
    String text,
    List<String> tokens,
    List<Double> tokenLogprobs,
    List<Integer> textOffsets,
    String finishReason,
    TokenUsage usage) {
  public CompletionResponse {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    // Log-probs may contain null (first token), so no List.copyOf here.
    tokenLogprobs = tokenLogprobs == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(tokenLogprobs));
    textOffsets = textOffsets == null ? List.of() : List.copyOf(textOffsets);
    usage = usage == null ? TokenUsage.NONE : usage;
  }
}
