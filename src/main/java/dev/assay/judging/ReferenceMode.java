package dev.assay.judging;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether the judge saw a reference answer: none; the item's own ({@code given}); or one the judge first wrote by
 * revising the response under evaluation ({@code adapted}, RevisEval). Recorded on every judgment.
 */
public enum ReferenceMode {
  NONE,
  GIVEN,
  ADAPTED;

  @JsonValue
  public String wire() {
    return name().toLowerCase();
  }
}
