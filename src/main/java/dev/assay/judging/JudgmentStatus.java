package dev.assay.judging;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What became of one judging request. Only {@link #OK} carries a score or verdict: a failed or unparseable judgment
 * is never turned into a score.
 */
public enum JudgmentStatus {
  /** Parsed: a score (absolute) or a verdict (pairwise) is present. */
  OK,
  /** The model answered but no score or verdict could be read from the answer. */
  UNPARSEABLE,
  /** The model declined to judge. */
  REFUSED,
  /** The answer was cut by the token limit ({@code finish_reason = length}) before a result. */
  TRUNCATED,
  /** Transport failure: no answer after retries. */
  FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase();
  }
}
