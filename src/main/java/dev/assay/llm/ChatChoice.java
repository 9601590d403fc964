package dev.assay.llm;

import java.util.List;

/**
 * One choice of a chat completion: its text, why generation stopped ({@code stop}, {@code length}, ...) and, when the
 * request asked for them, the generated tokens' log-probs (empty otherwise).
 */
public record ChatChoice(int index, String content, String finishReason, List<TokenLogprob> logprobs) {
  public ChatChoice {
    content = content == null ? "" : content;
    logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
  }

  /** A choice without log-probs. */
  public ChatChoice(int index, String content, String finishReason) {
    this(index, content, finishReason, List.of());
  }
}
