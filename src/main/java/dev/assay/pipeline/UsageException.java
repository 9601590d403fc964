package dev.assay.pipeline;

/**
 * The user asked for something the run directory or options do not allow (e.g. overwriting a finished run without
 * saying so). The CLI prints the message and exits 2.
 */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
