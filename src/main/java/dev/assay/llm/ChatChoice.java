package dev.assay.llm;

/** One choice of a chat completion: its text and why generation stopped ({@code stop}, {@code length}, ...). */
public record ChatChoice(int index, String content, String finishReason) {
  public ChatChoice {
    content = content == null ? "" : content;
  }
}
