package dev.assay.replay;

import dev.assay.llm.LlmException;
import java.util.Objects;

/**
 * A request the replay has no published answer for. Never retried (the same request finds the same nothing), and
 * never papered over with a made-up answer: the judgment that asked becomes {@code failed}, with this message.
 */
public final class ReplayMissException extends LlmException {
  /** What could not be matched. */
  public enum Reason {
    /** The request has no tagged blocks to read the item from: its template does not follow the contract. */
    NO_BLOCKS,
    /** No published item has this instruction, or none has it with these responses. */
    NO_ITEM,
    /** The item is known but its source published no answer for this request (another order, another kind, none). */
    NOT_PUBLISHED,
    /** Several published items share this content and their answers differ: which one is meant cannot be told. */
    AMBIGUOUS,
    /** The request is of a kind a replay cannot answer (completions, several choices). */
    UNSUPPORTED
  }

  private final Reason reason;

  /**
   * @param reason what could not be matched
   * @param message the source, what was looked for and why it was not found
   */
  public ReplayMissException(Reason reason, String message) {
    super(message, 1, null);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
