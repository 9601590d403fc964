package dev.assay.pipeline.recipe;

/**
 * The {@code gates:} section of a recipe: thresholds checked after a run from its published files. A run that misses
 * one ends with exit 1 and manifest status {@code gate_failed}; its outputs stay on disk for inspection.
 *
 * <p>Two gates hold by default, so that a run whose data no one should train on does not end {@code complete}:
 * {@code min_parse_rate} {@value #DEFAULT_MIN_PARSE_RATE} per judge and {@code max_failure_rate}
 * {@value #DEFAULT_MAX_FAILURE_RATE} per stage (failed / in); set them to 0 and 1 to turn them off. Partial failures
 * below them stay data (RELIABILITY.md section 1). The other gates are optional (null: not checked). A gate whose quantity was not measured by the run (a consistency gate
 * in a recipe without {@code consistency:}, a flip-rate gate without a pairwise judge) fails: a gate the recipe asks
 * for and cannot be checked is not shown to pass.
 *
 * @param minConsistency lowest acceptable set-level CREAM consistency C, in [0, 1]
 * @param minParseRate lowest acceptable parse rate (ok / requests) of every judge, in [0, 1]
 * @param maxFlipRate highest acceptable position-flip rate of every pairwise judge, in [0, 1]
 * @param minPairs fewest acceptable preference pairs in {@code pairs/pairs.jsonl}, at least 0
 * @param minJudgeAccuracy lowest acceptable accuracy of the {@code qualification:} judge on its labelled set, in [0,
 *     1]; checked before the run's main stages, which a miss never starts
 * @param maxFailureRate highest acceptable share of failed units (failed / in) of every stage that had input, in
 *     [0, 1]
 */
public record GatesSpec(
    Double minConsistency, Double minParseRate, Double maxFlipRate, Long minPairs, Double minJudgeAccuracy, Double maxFailureRate)
    implements java.io.Serializable {
  /** The parse-rate gate of a recipe that sets none. */
  public static final double DEFAULT_MIN_PARSE_RATE = 0.5;

  /** The failure-rate gate of a recipe that sets none. */
  public static final double DEFAULT_MAX_FAILURE_RATE = 0.5;

  public GatesSpec {
    unit("min_consistency", minConsistency);
    unit("min_parse_rate", minParseRate);
    unit("max_flip_rate", maxFlipRate);
    unit("min_judge_accuracy", minJudgeAccuracy);
    unit("max_failure_rate", maxFailureRate);
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
        || minJudgeAccuracy != null || maxFailureRate != null;
  }

  /** The parse-rate limit in force: the recipe's, else the default. */
  public static double minParseRate(GatesSpec gates) {
    return gates == null || gates.minParseRate() == null ? DEFAULT_MIN_PARSE_RATE : gates.minParseRate();
  }

  /** The failure-rate limit in force: the recipe's, else the default. */
  public static double maxFailureRate(GatesSpec gates) {
    return gates == null || gates.maxFailureRate() == null ? DEFAULT_MAX_FAILURE_RATE : gates.maxFailureRate();
  }
}
