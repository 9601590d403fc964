package dev.assay.judging;

import java.util.Objects;

/**
 * What a parser read from one judge answer: a status and, only when the status is {@code ok}, a score (absolute) or a
 * verdict (pairwise).
 *
 * @param status {@code ok}, {@code unparseable}, {@code refused} or {@code truncated}; parsers never return
 *     {@code failed} (that is a transport outcome, decided before there is text to parse)
 * @param score the score, only for an ok absolute parse
 * @param verdict the verdict, only for an ok pairwise parse
 * @param rationale the judge's reasoning before the result marker, trimmed (may be empty); null unless ok
 * @param error why the status is not ok; null when ok
 */
public record ParsedJudgment(JudgmentStatus status, Integer score, Verdict verdict, String rationale, String error) {
  public ParsedJudgment {
    Objects.requireNonNull(status, "status");
    if (status == JudgmentStatus.OK) {
      if ((score == null) == (verdict == null)) {
        throw new IllegalArgumentException("an ok parse has exactly one of score and verdict");
      }
      Objects.requireNonNull(rationale, "rationale");
      if (error != null) {
        throw new IllegalArgumentException("an ok parse has no error");
      }
    } else {
      if (score != null || verdict != null) {
        throw new IllegalArgumentException("a " + status.wire() + " parse must not carry a result");
      }
      Objects.requireNonNull(error, "error");
    }
  }

  static ParsedJudgment score(int score, String rationale) {
    return new ParsedJudgment(JudgmentStatus.OK, score, null, rationale, null);
  }

  static ParsedJudgment verdict(Verdict verdict, String rationale) {
    return new ParsedJudgment(JudgmentStatus.OK, null, verdict, rationale, null);
  }

  static ParsedJudgment failed(JudgmentStatus status, String error) {
    return new ParsedJudgment(status, null, null, null, error);
  }

  public boolean ok() {
    return status == JudgmentStatus.OK;
  }
}
