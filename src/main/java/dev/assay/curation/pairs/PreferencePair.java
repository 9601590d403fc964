package dev.assay.curation.pairs;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One curated preference pair, ready for export: a prompt, a chosen and a rejected completion, and the evidence a
 * trainer would otherwise drop (kept in the metadata sidecar).
 *
 * @param id stable and unique in a run (derived from the prompt and the two candidates)
 * @param kind {@code policy} (self-rewarding: two responses) or {@code judge} (self-rationalization: two judgments)
 * @param promptId the prompt or item
 * @param prompt the prompt text as the trainer should see it (for {@code judge} pairs: the rendered judge prompt)
 * @param system an optional system message, or null
 * @param chosen the chosen completion text
 * @param rejected the rejected completion text
 * @param chosenId the chosen candidate's or judgment's id
 * @param rejectedId the rejected one's id
 * @param chosenScore the chosen side's score (consensus reward, or the judgment's score)
 * @param rejectedScore the rejected side's score
 * @param margin the primary reward model's margin (chosen - rejected); for judge pairs |gold - rejected score|
 * @param consistency the per-prompt CREAM consistency C(x), or null when not measured
 * @param agreedModels the reward models that agreed on the preference (empty when consensus was not used)
 * @param agreement each voter's probability for the chosen side
 * @param iteration the training iteration t that produced the data
 * @param runId the run id from the manifest
 */
public record PreferencePair(
    String id,
    String kind,
    String promptId,
    String prompt,
    String system,
    String chosen,
    String rejected,
    String chosenId,
    String rejectedId,
    double chosenScore,
    double rejectedScore,
    double margin,
    Double consistency,
    List<String> agreedModels,
    Map<String, Double> agreement,
    int iteration,
    String runId) {
  public PreferencePair {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    if (!kind.equals("policy") && !kind.equals("judge")) {
      throw new IllegalArgumentException("kind must be policy or judge: " + kind);
    }
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    Objects.requireNonNull(chosenId, "chosenId");
    Objects.requireNonNull(rejectedId, "rejectedId");
    Objects.requireNonNull(runId, "runId");
    if (chosenId.equals(rejectedId)) {
      throw new IllegalArgumentException("a pair needs two different sides: " + chosenId);
    }
    agreedModels = agreedModels == null ? List.of() : List.copyOf(agreedModels);
    agreement = agreement == null ? Map.of() : Map.copyOf(agreement);
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0: " + iteration);
    }
  }
}
