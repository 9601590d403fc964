package dev.assay.testing;

import dev.assay.llm.LlmException;

/** A typed failure a test script raises, as a real client raises its subtypes after retries. */
public final class ScriptedFailure extends LlmException {
  public ScriptedFailure(String message, int attempts) {
    super(message, attempts, null);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
