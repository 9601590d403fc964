package dev.assay.io;

import java.util.Objects;

/**
 * A record that a stage could not process, with enough to diagnose and retry it; written to {@code failures/}.
 *
 * @param stage the stage that failed it (e.g. {@code generate}, {@code judge})
 * @param inputId id of the input element (candidate id, judgment id)
 * @param input the input element as one JSON line, so nothing is lost
 * @param errorClass the typed error's simple class name (e.g. {@code RateLimitedException})
 * @param message a human-readable reason; never contains a secret
 * @param attempts how many requests were sent for it, retries included
 */
public record Failure(
    String stage, String inputId, String input, String errorClass, String message, int attempts) {
  public Failure {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(inputId, "inputId");
    Objects.requireNonNull(errorClass, "errorClass");
    message = message == null ? "" : message;
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0: " + attempts);
    }
  }
}
