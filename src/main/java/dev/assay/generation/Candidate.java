package dev.assay.generation;

import java.util.Objects;

/**
 * One response generated for a prompt (or imported with one): the unit that judges score.
 *
 * @param id {@code <promptId>/<model>/<sample>}, unique in a run
 * @param promptId the prompt it answers
 * @param prompt the prompt text (kept so judging needs no join)
 * @param reference the prompt's reference answer, or null
 * @param response the generated text
 * @param model the model that wrote it
 * @param sample 0-based index among the K responses for this prompt
 * @param finishReason as reported by the server ({@code stop}, {@code length}, ...)
 * @param requestHash the ledger key of the request that produced it, or null when imported
 */
public record Candidate(
    String id,
    String promptId,
    String prompt,
    String reference,
    String response,
    String model,
    int sample,
    String finishReason,
    String requestHash) {
  public Candidate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(model, "model");
    if (sample < 0) {
      throw new IllegalArgumentException("sample must be >= 0: " + sample);
    }
  }

  /** The id convention for generated candidates. */
  public static String idFor(String promptId, String model, int sample) {
    return promptId + "/" + model + "/" + sample;
  }
}
