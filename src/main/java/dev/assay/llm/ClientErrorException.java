package dev.assay.llm;

/**
 * The endpoint rejected the request (a 4xx other than 408 and 429: bad model name, context too long, bad key). Not
 * retryable: sending the same request again gets the same answer, so the client fails on the first attempt.
 */
public final class ClientErrorException extends LlmException {
  private final int status;
  private final String serverMessage;

  /**
   * @param status the HTTP status
   * @param serverMessage a short, single-line excerpt of the server's error message (secrets removed), may be empty
   * @param message what was called, the status and the excerpt
   * @param attempts HTTP requests sent for this call
   */
  public ClientErrorException(int status, String serverMessage, String message, int attempts) {
    super(message, attempts, null);
    this.status = status;
    this.serverMessage = serverMessage == null ? "" : serverMessage;
  }

  /** The HTTP status the server answered. */
  public int status() {
    return status;
  }

  /** A short excerpt of what the server said was wrong (its {@code error.message} when it sent one). */
  public String serverMessage() {
    return serverMessage;
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
