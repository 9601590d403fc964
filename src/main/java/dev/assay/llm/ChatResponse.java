package dev.assay.llm;

import java.util.List;

/** A parsed chat completion: the served model name, its choices in index order, and usage. */
public record ChatResponse(String model, List<ChatChoice> choices, TokenUsage usage) {
  public ChatResponse {
    choices = List.copyOf(choices);
    usage = usage == null ? TokenUsage.NONE : usage;
  }
}
