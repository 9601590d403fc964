package dev.assay.curation.rationalization;

import java.util.Objects;

/**
 * The gold score of one labeled item, the target a judge in training should reproduce: input of
 * {@link BuildRationalizationPairs} in gold mode and of {@link RationalizationMetrics}.
 *
 * <p>The item is the thing judged, the {@link dev.assay.judging.Judgment#candidateA()} of its absolute judgments (a
 * candidate response in context), not the prompt: one prompt may have several responses, each with its own gold.
 *
 * @param itemId the judged item's id, as in {@code Judgment.candidateA()}
 * @param score the gold score on the rubric's scale
 */
public record GoldLabel(String itemId, int score) {
  public GoldLabel {
    Objects.requireNonNull(itemId, "itemId");
  }
}
