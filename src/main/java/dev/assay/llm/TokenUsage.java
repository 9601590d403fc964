package dev.assay.llm;

/** Tokens a request cost, as the server reported them (zeros when it did not). */
public record TokenUsage(long promptTokens, long completionTokens) {
  public static final TokenUsage NONE = new TokenUsage(0, 0);

  public long total() {
    return promptTokens + completionTokens;
  }
}
