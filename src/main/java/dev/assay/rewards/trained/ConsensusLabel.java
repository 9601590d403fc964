package dev.assay.rewards.trained;

import java.util.Objects;

/**
 * One label from an earlier iteration's consensus: how good a response to a prompt was judged to be, for training
 * the {@code trained} reward model. Read from JSONL by {@link ConsensusLabels#read}.
 *
 * @param prompt the prompt text (kept for provenance; the model reads the response only)
 * @param response the response text
 * @param label the consensus reward; finite, any scale (the model predicts on the same scale)
 */
public record ConsensusLabel(String prompt, String response, double label) {
  public ConsensusLabel {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(response, "response");
    if (!Double.isFinite(label)) {
      throw new IllegalArgumentException("label must be finite: " + label);
    }
  }
}
