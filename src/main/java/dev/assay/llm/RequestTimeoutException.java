package dev.assay.llm;

import java.time.Duration;

/**
 * The last attempt timed out: connecting, waiting for the answer (read timeout), or the whole call, or the server
 * answered HTTP 408. Retryable: a busy server may answer the next attempt in time.
 */
public final class RequestTimeoutException extends LlmException {
  /**
   * @param message what was called and which timeout fired, without secrets
   * @param attempts HTTP requests sent for this call
   * @param cause the I/O exception that signalled the timeout, or null for HTTP 408
   */
  public RequestTimeoutException(String message, int attempts, Throwable cause) {
    super(message, attempts, cause);
  }

  /** As the three-argument form, for an HTTP 408 with the server's {@code Retry-After} (or null). */
  public RequestTimeoutException(String message, int attempts, Duration retryAfter) {
    super(message, attempts, null, retryAfter);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
