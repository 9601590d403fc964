package dev.assay.llm;

/**
 * The server answered, but the response names another model than the request asked for: a server started with a
 * different model, a router that fell back, a typo in the recipe that the server ignored. Not retryable: the same
 * server names the same model again. The answer is not used, though the tokens it cost are counted.
 *
 * <p>A response matches (and this is not thrown) when its {@code model} equals the request's, is the request's plus
 * a dated snapshot suffix, or equals the endpoint's {@code served_model}: see {@link ServedModel#matches}.
 */
public final class WrongModelException extends LlmException {
  private final String requested;
  private final String served;
  private final TokenUsage usage;

  /**
   * @param requested the model the request named
   * @param served the model the response named
   * @param message what was called, both names and what to change
   * @param attempts HTTP requests sent for this call
   */
  public WrongModelException(String requested, String served, String message, int attempts) {
    this(requested, served, message, attempts, TokenUsage.NONE);
  }

  /** As the four-argument form, with the tokens the unused answer cost (counted against budgets and rates). */
  public WrongModelException(String requested, String served, String message, int attempts, TokenUsage usage) {
    super(message, attempts, null);
    this.requested = requested;
    this.served = served;
    this.usage = usage == null ? TokenUsage.NONE : usage;
  }

  /** The tokens the server reported for the answer that was not used. */
  public TokenUsage usage() {
    return usage;
  }

  /** The model the request named. */
  public String requested() {
    return requested;
  }

  /** The model the response named. */
  public String served() {
    return served;
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
