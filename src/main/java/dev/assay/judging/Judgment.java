package dev.assay.judging;

import java.util.Objects;

/**
 * One judgment: a judge's rationale and score (absolute) or verdict (pairwise) for one sample of one request.
 * Produced by {@code SampleJudgments} or imported from a file; the record is the same either way.
 *
 * @param id unique in a run: {@code <judge>/<candidateA>[/<candidateB>]/<sample>}
 * @param itemId the prompt or item judged (groups the judgments of one prompt)
 * @param kind absolute or pairwise
 * @param judge the voter's name (a configured judge: model + template + reference mode)
 * @param model the model that judged
 * @param template template id and version, e.g. {@code absolute@3f2a9c1e}
 * @param candidateA the candidate judged (absolute) or shown first (pairwise)
 * @param candidateB the candidate shown second (pairwise); null for absolute
 * @param sample 0-based sample index among the N judgments of this request
 * @param status what became of it; only {@code ok} has a score or verdict
 * @param score the parsed score (absolute, status ok), else null
 * @param verdict the parsed verdict (pairwise, status ok), else null
 * @param rationale the judge's reasoning, without the result marker; may be empty
 * @param raw the judge's whole answer as returned (null for transport failures)
 * @param referenceMode whether and how a reference answer was shown
 * @param requestHash the ledger key of the request, or null when imported
 * @param source {@code llm} or {@code import:<file name>}
 * @param error why the status is not ok, else null
 */
public record Judgment(
    String id,
    String itemId,
    JudgmentKind kind,
    String judge,
    String model,
    String template,
    String candidateA,
    String candidateB,
    int sample,
    JudgmentStatus status,
    Integer score,
    Verdict verdict,
    String rationale,
    String raw,
    ReferenceMode referenceMode,
    String requestHash,
    String source,
    String error) {
  public Judgment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(candidateA, "candidateA");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(referenceMode, "referenceMode");
    Objects.requireNonNull(source, "source");
    if (sample < 0) {
      throw new IllegalArgumentException("sample must be >= 0: " + sample);
    }
    if (kind == JudgmentKind.PAIRWISE && candidateB == null) {
      throw new IllegalArgumentException("pairwise judgment " + id + " has no candidate B");
    }
    if (kind == JudgmentKind.ABSOLUTE && candidateB != null) {
      throw new IllegalArgumentException("absolute judgment " + id + " has a candidate B");
    }
    boolean hasResult = kind == JudgmentKind.ABSOLUTE ? score != null : verdict != null;
    if (status == JudgmentStatus.OK && !hasResult) {
      throw new IllegalArgumentException("judgment " + id + " is ok but has no result");
    }
    if (status != JudgmentStatus.OK && (score != null || verdict != null)) {
      throw new IllegalArgumentException("judgment " + id + " is " + status.wire() + " but carries a result");
    }
  }

  /**
   * This judgment without its text (rationale empty, raw null): for views that aggregate scores and statuses over
   * many judgments (the report), where the judges' words are most of the memory.
   */
  public Judgment withoutText() {
    return new Judgment(
        id, itemId, kind, judge, model, template, candidateA, candidateB, sample, status, score, verdict, "", null,
        referenceMode, requestHash, source, error);
  }

  /** The preferred candidate id of an ok pairwise judgment, null for a tie or a non-ok judgment. */
  public String preferredCandidate() {
    if (kind != JudgmentKind.PAIRWISE || verdict == null) {
      return null;
    }
    return switch (verdict) {
      case A -> candidateA;
      case B -> candidateB;
      case TIE -> null;
    };
  }
}
