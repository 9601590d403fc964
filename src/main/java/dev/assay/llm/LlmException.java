package dev.assay.llm;

/**
 * A call to a model endpoint that failed for good (after retries where the cause is retryable). Subtypes name the
 * cause, so callers branch on the type, not on a message. Messages never contain a secret or an Authorization
 * header.
 */
public abstract class LlmException extends RuntimeException {
  private final int attempts;

  protected LlmException(String message, int attempts, Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
  }

  /** HTTP requests sent for this call, the first one included. */
  public int attempts() {
    return attempts;
  }

  /** Whether the cause is of a kind worth retrying (rate limit, 5xx, timeout, transport). */
  public abstract boolean retryable();
}
