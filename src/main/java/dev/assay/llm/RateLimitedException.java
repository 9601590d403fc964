package dev.assay.llm;

import java.time.Duration;

/**
 * The endpoint answered HTTP 429 (rate limited) on every attempt. Retryable: the client already waited as the server
 * asked ({@code Retry-After}, capped by the configured maximum backoff) before giving up.
 */
public final class RateLimitedException extends LlmException {
  /**
   * @param message what was called and what the server said, without secrets
   * @param retryAfter the server's last {@code Retry-After}, or null when it sent none
   * @param attempts HTTP requests sent for this call
   */
  public RateLimitedException(String message, Duration retryAfter, int attempts) {
    super(message, attempts, null, retryAfter);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
