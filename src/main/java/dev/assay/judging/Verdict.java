package dev.assay.judging;

import com.fasterxml.jackson.annotation.JsonValue;

/** A pairwise verdict in position terms: the response shown first (A), second (B), or neither. */
public enum Verdict {
  A,
  B,
  TIE;

  @JsonValue
  public String wire() {
    return this == TIE ? "tie" : name();
  }
}
