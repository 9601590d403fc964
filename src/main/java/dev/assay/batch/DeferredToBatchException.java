package dev.assay.batch;

import dev.assay.llm.LlmException;

/**
 * The call was not sent: its request went to a batch file ({@code ./assay batch write}) or, in an offline run, its
 * answer is not in the ledger. Never retryable: the answer comes from {@code ./assay batch read}.
 */
public final class DeferredToBatchException extends LlmException {
  private static final long serialVersionUID = 1L;

  public DeferredToBatchException(String message) {
    super(message, 0, null);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
