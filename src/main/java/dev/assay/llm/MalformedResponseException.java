package dev.assay.llm;

/**
 * The endpoint answered 2xx but the body could not be used: not JSON, no {@code choices}, or cut off mid-body.
 * Retryable: servers and proxies glitch, and the next attempt usually parses.
 */
public final class MalformedResponseException extends LlmException {
  /**
   * @param message what was called, what was wrong and a short excerpt of the body, without secrets
   * @param attempts HTTP requests sent for this call
   * @param cause the parse or I/O failure, or null
   */
  public MalformedResponseException(String message, int attempts, Throwable cause) {
    super(message, attempts, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
