package dev.assay.curation.filters;

import java.util.Objects;
import java.util.Set;

/**
 * A record that a prompt filter removed, with the evidence: one line of {@code rejected/}.
 *
 * <p>{@link #DUPLICATE_EXACT}: {@code keptId} has the same normalised text. {@link #DUPLICATE_NEAR}: {@code keptId}
 * is the kept twin and {@code jaccard} the MinHash estimate of their shingle-set similarity. {@link #CONTAMINATED}:
 * {@code evalFile} is the evaluation set that shares the word n-gram {@code ngram} with this record.
 *
 * @param stage the filter that removed it ({@code dedupe} or {@code decontaminate})
 * @param id the removed record's id
 * @param reason one of the reason codes
 * @param input the removed record as one JSON line, so nothing is lost
 * @param keptId for duplicates: the id of the twin that was kept
 * @param jaccard for near-duplicates: the estimated Jaccard similarity to the kept twin
 * @param evalFile for contamination: the evaluation file, as given
 * @param ngram for contamination: the overlapping words (normalised, joined by one space)
 */
public record RemovedPrompt(
    String stage, String id, String reason, String input, String keptId, Double jaccard, String evalFile, String ngram) {
  public static final String DUPLICATE_EXACT = "duplicate_exact";
  public static final String DUPLICATE_NEAR = "duplicate_near";
  public static final String CONTAMINATED = "contaminated";
  private static final Set<String> REASONS = Set.of(DUPLICATE_EXACT, DUPLICATE_NEAR, CONTAMINATED);

  public RemovedPrompt {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(input, "input");
    if (!REASONS.contains(reason)) {
      throw new IllegalArgumentException("unknown reason " + reason + " (expected one of " + REASONS + ")");
    }
    if (reason.equals(CONTAMINATED)) {
      Objects.requireNonNull(evalFile, "evalFile");
      Objects.requireNonNull(ngram, "ngram");
    } else {
      Objects.requireNonNull(keptId, "keptId");
    }
    if (reason.equals(DUPLICATE_NEAR)) {
      Objects.requireNonNull(jaccard, "jaccard");
    }
  }

  static RemovedPrompt exact(String stage, String id, String input, String keptId) {
    return new RemovedPrompt(stage, id, DUPLICATE_EXACT, input, keptId, null, null, null);
  }

  static RemovedPrompt near(String stage, String id, String input, String keptId, double jaccard) {
    return new RemovedPrompt(stage, id, DUPLICATE_NEAR, input, keptId, jaccard, null, null);
  }

  static RemovedPrompt contaminated(String stage, String id, String input, String evalFile, String ngram) {
    return new RemovedPrompt(stage, id, CONTAMINATED, input, null, null, evalFile, ngram);
  }
}
