package dev.assay.config;

import java.util.Objects;
import java.util.Set;

/**
 * Self-rationalization (judge training data), bound from {@code rationalization:} in a recipe.
 *
 * @param judge the name of the judge whose judgments become pairs (a configured judge, or the judge name of
 *     imported judgments, e.g. {@code gpt-4})
 * @param mode {@code pseudo-gold} (the majority score of the ok samples) or {@code gold} (default pseudo-gold)
 * @param gold for {@code gold}: JSONL of {@code item_id} (the judged candidate's id) and {@code score}, relative to
 *     the recipe's folder
 * @param majorityShare the share of ok samples the majority score needs; null = strictly more than half
 * @param minDistance how far from the gold score the rejected judgment must be (default 1)
 * @param template the absolute template that renders the judge prompt the pairs are trained on (default: the
 *     judge's own template; required for imported judgments)
 */
public record RationalizationSpec(
    String judge, String mode, String gold, Double majorityShare, Integer minDistance, String template)
    implements java.io.Serializable {
  public RationalizationSpec {
    Objects.requireNonNull(judge, "judge");
    mode = mode == null ? "pseudo-gold" : mode;
    if (!Set.of("pseudo-gold", "gold").contains(mode)) {
      throw new IllegalArgumentException("mode must be pseudo-gold or gold: " + mode);
    }
    if (mode.equals("gold") && gold == null) {
      throw new IllegalArgumentException("gold mode needs gold: (a JSONL file of item_id and score)");
    }
    if (majorityShare != null && !(majorityShare > 0 && majorityShare <= 1)) {
      throw new IllegalArgumentException("majority_share must be in (0, 1]: " + majorityShare);
    }
    minDistance = minDistance == null ? 1 : minDistance;
    if (minDistance < 1) {
      throw new IllegalArgumentException("min_distance must be >= 1: " + minDistance);
    }
  }
}
