package dev.assay.llm;

/**
 * The endpoint's budget cap (tokens or estimated cost) was reached, so the call was refused without sending
 * anything. Not retryable: the budget does not come back. Calls already in flight when the cap was reached complete
 * normally, so the spend may end slightly above the cap.
 */
public final class BudgetExceededException extends LlmException {
  /** @param message which cap was reached and the spend so far */
  public BudgetExceededException(String message) {
    super(message, 0, null);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
