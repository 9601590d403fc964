package dev.assay.replay;

import java.util.Objects;

/**
 * One answer a judge published, as the replay hands it back.
 *
 * @param text the answer's text (LLMBar: the raw completion; PandaLM: rebuilt from its published fields, see {@link
 *     PandaLmReplay}), or null where the source records that the judge answered but kept no text (PandaLM's
 *     "garbage"): such an answer is never replayed, and makes a copy of the same content that has text ambiguous
 * @param finishReason the finish reason the source recorded ({@code stop}, {@code length}, ...)
 * @param origin where it was read: file, item and field, so a result can be traced back to the published record
 */
public record PublishedAnswer(String text, String finishReason, String origin) {
  public PublishedAnswer {
    finishReason = finishReason == null || finishReason.isBlank() ? "stop" : finishReason;
    Objects.requireNonNull(origin, "origin");
  }

  /** Whether two answers would read the same to a judge's parser (origins may differ). */
  boolean sameAnswer(PublishedAnswer other) {
    return Objects.equals(text, other.text) && finishReason.equals(other.finishReason);
  }

  /** Whether the source kept the answer's text. */
  public boolean hasText() {
    return text != null;
  }
}
