package dev.assay.llm;

import java.util.Objects;

/** One chat message ({@code system}, {@code user} or {@code assistant}) as the OpenAI chat API takes it. */
public record ChatMessage(String role, String content) {
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }
}
