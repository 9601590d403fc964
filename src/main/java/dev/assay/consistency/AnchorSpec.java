package dev.assay.consistency;

import java.util.List;

/**
 * The {@code anchor:} section of a recipe: a fixed set of responses that every iteration's judge judges again, so
 * that {@code ./assay audit} can compare any two iterations on the same responses (drift), and, with an anchor judge
 * on another endpoint, a measure of the self-judge's preference for its own outputs ({@link SelfPreference}).
 *
 * <p>The set is, in this order of precedence: the responses of {@code file} (candidates JSONL, the format of {@code
 * input.format: candidates}); the set the previous iteration judged (its {@code anchor/anchor-set.jsonl}), carried
 * forward so that every iteration of a series judges iteration 1's sample; or a seeded sample of this run's
 * candidates by whole prompts, at least {@code size} of them ({@link AnchorSet}; what iteration 1 does).
 *
 * @param file a candidates file, relative to the recipe; null to sample
 * @param size the least number of candidates the sample takes, by whole prompts (default {@value #DEFAULT_SIZE}); a
 *     file is taken whole
 * @param seed the sampling seed; null = the recipe's seed
 * @param judges the absolute judges of {@code judges:} that judge the anchor set; null or empty = the first absolute
 *     judge of the recipe
 * @param judge an endpoint whose model, as the anchor judge, judges the anchor set and a sample of the policy's own
 *     candidates with the template, rubric and samples of the first anchor judge; null for none
 * @param ownSample how many of this run's own candidates the anchor judge also judges, for self-preference (default:
 *     {@code size}); used only when a judge of {@code judges} is served by the policy's model
 */
public record AnchorSpec(String file, Integer size, Long seed, List<String> judges, String judge, Integer ownSample)
    implements java.io.Serializable {
  /** The sample size when none is given. */
  public static final int DEFAULT_SIZE = 64;

  /**
   * The anchor judge's name in judgments and accounting: {@code anchor-<endpoint>}, or {@code anchor} for an endpoint
   * named so. No judge of {@code judges:} may have it.
   */
  public static String judgeName(String endpoint) {
    return endpoint.equals("anchor") ? "anchor" : "anchor-" + endpoint;
  }

  public AnchorSpec {
    size = size == null ? DEFAULT_SIZE : size;
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1: " + size);
    }
    judges = judges == null ? List.of() : List.copyOf(judges);
    ownSample = ownSample == null ? size : ownSample;
    if (ownSample < 0) {
      throw new IllegalArgumentException("own_sample must be >= 0: " + ownSample);
    }
  }
}
