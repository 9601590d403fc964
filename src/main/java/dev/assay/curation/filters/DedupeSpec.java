package dev.assay.curation.filters;

import java.io.Serializable;

/**
 * Settings of {@link Deduplicator}: the dedupe filter's entry of a recipe's {@code prompt_filters:} section, built by
 * the pipeline from {@link PromptFilterSpec} ({@code near_threshold}) with the defaults below for the rest; a spec,
 * owned by this stage. Failure mode: {@link IllegalArgumentException} for a value out of range.
 *
 * @param threshold a record is a near-duplicate of a kept one when their estimated Jaccard similarity is at least
 *     this, in (0, 1]; default 0.8
 * @param shingleWords words per shingle; default 3 (prompts are short: 5-word shingles, usual for web pages, make two
 *     prompts that differ in one word look far apart)
 * @param permutations MinHash hash functions; default 128
 * @param bands LSH bands; must divide {@code permutations}; default 32 (4 rows each), see {@link MinHash}
 * @param seed seeds the hash functions; default 42
 */
public record DedupeSpec(double threshold, int shingleWords, int permutations, int bands, long seed)
    implements Serializable {
  public DedupeSpec {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1]: " + threshold);
    }
    // MinHash.of checks the rest; failing here keeps a bad config from reaching a worker.
    MinHash.of(permutations, bands, shingleWords, seed);
  }

  public static DedupeSpec defaults() {
    return new DedupeSpec(0.8, 3, 128, 32, 42L);
  }

  public DedupeSpec withThreshold(double t) {
    return new DedupeSpec(t, shingleWords, permutations, bands, seed);
  }
}
