package dev.assay.judging;

import com.fasterxml.jackson.annotation.JsonValue;

/** Absolute grading (one response, a score on a scale) or relative grading (two responses, a winner). */
public enum JudgmentKind {
  ABSOLUTE,
  PAIRWISE;

  @JsonValue
  public String wire() {
    return name().toLowerCase();
  }
}
