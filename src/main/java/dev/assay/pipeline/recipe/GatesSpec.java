package dev.assay.pipeline.recipe;

/**
 * The {@code gates:} section of a recipe: thresholds checked after a run from its published files. A run that misses
 * one ends with exit 1 and manifest status {@code gate_failed}; its outputs stay on disk for inspection.
 *
 * <p>Every gate is optional (null: not checked). A gate whose quantity was not measured by the run (a consistency gate
 * in a recipe without {@code consistency:}, a flip-rate gate without a pairwise judge) fails: a gate the recipe asks
 * for and cannot be checked is not shown to pass.
 *
 * @param minConsistency lowest acceptable set-level CREAM consistency C, in [0, 1]
 * @param minParseRate lowest acceptable parse rate (ok / requests) of every judge, in [0, 1]
 * @param maxFlipRate highest acceptable position-flip rate of every pairwise judge, in [0, 1]
 * @param minPairs fewest acceptable preference pairs in {@code pairs/pairs.jsonl}, at least 0
 * @param minJudgeAccuracy lowest acceptable accuracy of the {@code qualification:} judge on its labelled set, in [0,
 *     1]; checked before the run's main stages, which a miss never starts
 */
public record GatesSpec(Double minConsistency, Double minParseRate, Double maxFlipRate, Long minPairs, Double minJudgeAccuracy)
    implements java.io.Serializable {
  public GatesSpec {
    unit("min_consistency", minConsistency);
    unit("min_parse_rate", minParseRate);
    unit("max_flip_rate", maxFlipRate);
    unit("min_judge_accuracy", minJudgeAccuracy);
    if (minPairs != null && minPairs < 0) {
      throw new IllegalArgumentException("min_pairs must be >= 0: " + minPairs);
    }
  }

  private static void unit(String key, Double v) {
    if (v != null && !(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(key + " must be in [0, 1]: " + v);
    }
  }

  /** Whether any gate is set. */
  public boolean any() {
    return minConsistency != null || minParseRate != null || maxFlipRate != null || minPairs != null
        || minJudgeAccuracy != null;
  }
}
