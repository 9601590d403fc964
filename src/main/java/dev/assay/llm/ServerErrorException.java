package dev.assay.llm;

import java.time.Duration;

/** The endpoint answered with a 5xx status on every attempt. Retryable: servers recover from overload and restarts. */
public final class ServerErrorException extends LlmException {
  private final int status;
  private final String answer;

  /**
   * @param status the HTTP status of the last attempt, 500-599
   * @param message what was called and a short excerpt of the server's error, without secrets
   * @param attempts HTTP requests sent for this call
   */
  public ServerErrorException(int status, String message, int attempts) {
    this(status, message, attempts, null, "");
  }

  /**
   * As the three-argument form, with what the server sent.
   *
   * @param retryAfter the server's {@code Retry-After}, or null
   * @param answer the start of the error body as received, secrets removed: {@code stop_on_repeated_error} compares
   *     it with the previous attempt's
   */
  public ServerErrorException(int status, String message, int attempts, Duration retryAfter, String answer) {
    super(message, attempts, null, retryAfter);
    this.status = status;
    this.answer = answer == null ? "" : answer;
  }

  /** The start of the server's error body (secrets removed); empty when not known. */
  public String answer() {
    return answer;
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
