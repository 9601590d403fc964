package dev.assay.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to a model endpoint that failed for good (after retries where the cause is retryable). Subtypes name the
 * cause, so callers branch on the type, not on a message. Messages never contain a secret or an Authorization
 * header.
 *
 * <p>A backend raises it for one attempt; the retry layer ({@code RetryingBackend}) reads {@link #retryable()} and
 * {@link #retryAfter()} to decide on another, and records on the final failure how many requests the call sent.
 */
public abstract class LlmException extends RuntimeException {
  // Set once more by the retry layer, on the failure it hands out, before any caller sees it.
  private volatile int attempts;
  private final Duration retryAfter;

  protected LlmException(String message, int attempts, Throwable cause) {
    this(message, attempts, cause, null);
  }

  /** As the three-argument form, with the wait the server asked for ({@code Retry-After}), or null. */
  protected LlmException(String message, int attempts, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.attempts = attempts;
    this.retryAfter = retryAfter;
  }

  /** HTTP requests sent for this call, the first one included. */
  public int attempts() {
    return attempts;
  }

  /** Records the requests the whole call sent (the retry layer, on the failure it hands out). */
  final void attempts(int sent) {
    this.attempts = sent;
  }

  /** The wait the server asked for on the last attempt ({@code Retry-After}), if it named one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Whether the cause is of a kind worth retrying (rate limit, 5xx, timeout, transport). */
  public abstract boolean retryable();
}
