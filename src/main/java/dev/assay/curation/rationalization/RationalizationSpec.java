package dev.assay.curation.rationalization;

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
 * @param tieBreak how the chosen judgment is picked among several with the right score: {@code seeded} (a seeded
 *     random pick, default) or {@code meta-judge} (the one {@code metaJudge} scores highest)
 * @param metaJudge for {@code meta-judge}: the name of a configured absolute judge in {@code judges:} whose endpoint,
 *     template and rubric grade the rationalized judge's ok judgments (checked against {@code judges:} by the config
 *     loader). It only grades judgments: it does not judge the run's candidates, and its judgments are never
 *     rationalized; they are written to {@code judgments/meta.jsonl}
 * @param balance whether a pairwise judge's pairs are balanced on their chosen verdict position, as many chosen "A"
 *     as "B" ({@link BalanceVerdictPositions}, seeded with the run's seed; default true); an absolute judge's pairs
 *     have no position, and for them it changes nothing
 */
public record RationalizationSpec(
    String judge, String mode, String gold, Double majorityShare, Integer minDistance, String template,
    String tieBreak, String metaJudge, Boolean balance)
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
    tieBreak = tieBreak == null ? "seeded" : tieBreak;
    if (!Set.of("seeded", "meta-judge").contains(tieBreak)) {
      throw new IllegalArgumentException("tie_break must be seeded or meta-judge: " + tieBreak);
    }
    if (tieBreak.equals("meta-judge") && metaJudge == null) {
      throw new IllegalArgumentException("tie_break meta-judge needs meta_judge: (the name of an absolute judge in judges:)");
    }
    balance = balance == null ? Boolean.TRUE : balance;
    if (metaJudge != null && metaJudge.equals(judge)) {
      throw new IllegalArgumentException("meta_judge must be another judge than the rationalized one: " + metaJudge);
    }
  }

  /** Shorthand for the spec of a recipe before tie-breaks were configurable (seeded). */
  public RationalizationSpec(
      String judge, String mode, String gold, Double majorityShare, Integer minDistance, String template) {
    this(judge, mode, gold, majorityShare, minDistance, template, null, null, null);
  }

  /** The meta-judge's name when the tie-break is {@code meta-judge}, else null. */
  public String metaJudgeName() {
    return tieBreak.equals("meta-judge") ? metaJudge : null;
  }
}
