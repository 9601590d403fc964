package dev.assay.llm;

/**
 * What a request may cost before it is sent: its prompt estimated at one token per four characters (the rate
 * limits' estimate, corrected by the server's reported usage once it answers) and {@code max_tokens} per choice for
 * the completion, the most the server may bill. Used where tokens must be reserved ahead of the answer: the rate
 * limits (per attempt) and a batch's budget check (per submitted batch, {@code dev.assay.batch.OnlineBatchBackend}).
 *
 * @param promptTokens the prompt's estimate, at least 0
 * @param completionTokens the completion's ceiling, at least 0
 */
public record TokenEstimate(double promptTokens, double completionTokens) {
  public TokenEstimate {
    if (!(promptTokens >= 0) || !(completionTokens >= 0)) {
      throw new IllegalArgumentException("token estimates must be >= 0: " + promptTokens + ", " + completionTokens);
    }
  }

  /** A chat request: its messages' characters / 4, and {@code max_tokens} for each of its {@code n} choices. */
  public static TokenEstimate of(ChatRequest request) {
    long promptChars = 0;
    for (ChatMessage m : request.messages()) {
      promptChars += m.content().length();
    }
    return of(promptChars, request.maxTokens(), request.n());
  }

  /** A completions request: its prompt's characters / 4, and {@code max_tokens}. */
  public static TokenEstimate of(CompletionRequest request) {
    return of(request.prompt().length(), request.maxTokens(), 1);
  }

  /**
   * An OpenAI request body as a batch file carries it ({@code messages} with string contents, or {@code prompt}), read
   * as {@link #of(ChatRequest)} and {@link #of(CompletionRequest)} read the requests: content characters / 4, and
   * {@code max_tokens} (0 when absent) for each of {@code n} (default 1) choices.
   */
  public static TokenEstimate ofBody(com.fasterxml.jackson.databind.JsonNode body) {
    long promptChars = 0;
    if (body.has("messages")) {
      for (com.fasterxml.jackson.databind.JsonNode m : body.path("messages")) {
        promptChars += m.path("content").asText("").length();
      }
    } else {
      promptChars = body.path("prompt").asText("").length();
    }
    return of(promptChars, body.path("max_tokens").asLong(0), body.path("n").asInt(1));
  }

  /** The one rule: a token per four prompt characters; {@code max_tokens} bounds each of the {@code n} choices. */
  private static TokenEstimate of(long promptChars, long maxTokens, int n) {
    return new TokenEstimate(promptChars / 4.0, (double) maxTokens * n);
  }

  /** Prompt and completion together. */
  public double total() {
    return promptTokens + completionTokens;
  }

  /** This estimate and {@code other} summed. */
  public TokenEstimate plus(TokenEstimate other) {
    return new TokenEstimate(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
  }
}
