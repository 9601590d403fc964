package dev.assay.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * The endpoint answered HTTP 429 (rate limited) on every attempt. Retryable: the client already waited as the server
 * asked ({@code Retry-After}, capped by the configured maximum backoff) before giving up.
 */
public final class RateLimitedException extends LlmException {
  private final Duration retryAfter;

  /**
   * @param message what was called and what the server said, without secrets
   * @param retryAfter the server's last {@code Retry-After}, or null when it sent none
   * @param attempts HTTP requests sent for this call
   */
  public RateLimitedException(String message, Duration retryAfter, int attempts) {
    super(message, attempts, null);
    this.retryAfter = retryAfter;
  }

  /** The wait the server asked for on the last attempt, if it named one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
