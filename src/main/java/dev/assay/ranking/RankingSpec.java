package dev.assay.ranking;

import java.util.Objects;

/**
 * The ranking step, bound from {@code ranking:} in a recipe: in an iteration after the first, a pairwise judge compares
 * each response of this iteration's policy with the previous policy's response to the same prompt.
 *
 * @param judge the name of a pairwise judge in {@code judges:} (its endpoint, template and samples); the self-judge is
 *     the biased one, so name another model's judge where one is configured. Null (omitted) when the recipe sets
 *     {@code anchor.judge}: the ranking judge is then the anchor judge asked pairwise (see {@code RankingStage})
 * @param replicates bootstrap replicates of the interval, over prompts (default 2,000)
 * @param seed the seed of the bootstrap draws (default 42)
 */
public record RankingSpec(String judge, Integer replicates, Long seed) implements java.io.Serializable {
  /** The interval's coverage. */
  public static final double LEVEL = 0.95;

  public RankingSpec {
    replicates = replicates == null ? 2000 : replicates;
    if (replicates < 1) {
      throw new IllegalArgumentException("replicates must be >= 1: " + replicates);
    }
    seed = seed == null ? 42L : seed;
  }
}
