package dev.assay.llm;

/** The endpoint answered with a 5xx status on every attempt. Retryable: servers recover from overload and restarts. */
public final class ServerErrorException extends LlmException {
  private final int status;

  /**
   * @param status the HTTP status of the last attempt, 500-599
   * @param message what was called and a short excerpt of the server's error, without secrets
   * @param attempts HTTP requests sent for this call
   */
  public ServerErrorException(int status, String message, int attempts) {
    super(message, attempts, null);
    this.status = status;
  }

  /** The HTTP status of the last attempt. */
  public int status() {
    return status;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
