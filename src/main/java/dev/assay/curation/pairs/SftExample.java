package dev.assay.curation.pairs;

import java.util.Objects;

/**
 * One supervised example: a prompt and a completion judged good enough to imitate.
 *
 * @param id stable and unique in a run
 * @param kind {@code policy} (a best response above the reward threshold) or {@code judge} (a judgment with the
 *     right score)
 * @param promptId the prompt or item
 * @param prompt the prompt text as the trainer should see it
 * @param system an optional system message, or null
 * @param completion the completion text
 * @param score the reward or score that qualified it
 * @param iteration the training iteration t
 * @param runId the run id from the manifest
 */
public record SftExample(
    String id, String kind, String promptId, String prompt, String system, String completion, double score, int iteration, String runId) {
  public SftExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(completion, "completion");
    Objects.requireNonNull(runId, "runId");
  }
}
