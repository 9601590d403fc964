package dev.assay.llm;

/**
 * The last attempt failed below HTTP: connection refused or reset, DNS, TLS, or the client was closed or interrupted
 * while the call waited. Retryable as a kind (the network recovers); a closed client is not worth retrying, and the
 * message says so.
 */
public final class TransportException extends LlmException {
  /**
   * @param message what was called and what failed, without secrets
   * @param attempts HTTP requests sent for this call (0 when none was sent)
   * @param cause the underlying I/O exception, or null
   */
  public TransportException(String message, int attempts, Throwable cause) {
    super(message, attempts, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
