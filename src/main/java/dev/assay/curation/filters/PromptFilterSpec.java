package dev.assay.curation.filters;

import java.util.List;

/**
 * Prompt filters applied before generation, bound from {@code prompt_filters:} in a recipe. What they remove goes
 * to {@code rejected/prompts.jsonl} with the reason and the evidence.
 *
 * @param dedupe drop exact and near-duplicate prompts (default true when the section is present)
 * @param nearThreshold estimated Jaccard similarity (MinHash over word shingles) at which two prompts are
 *     near-duplicates (default 0.8)
 * @param decontaminate evaluation sets (JSONL or text, relative to the recipe folder) whose n-grams a prompt must not
 *     share
 * @param ngram words in a shared run that counts as contamination (default 13)
 */
public record PromptFilterSpec(Boolean dedupe, Double nearThreshold, List<String> decontaminate, Integer ngram)
    implements java.io.Serializable {
  public PromptFilterSpec {
    dedupe = dedupe == null ? Boolean.TRUE : dedupe;
    nearThreshold = nearThreshold == null ? 0.8 : nearThreshold;
    if (!(nearThreshold > 0 && nearThreshold <= 1)) {
      throw new IllegalArgumentException("near_threshold must be in (0, 1]: " + nearThreshold);
    }
    decontaminate = decontaminate == null ? List.of() : List.copyOf(decontaminate);
    ngram = ngram == null ? 13 : ngram;
    if (ngram < 1) {
      throw new IllegalArgumentException("ngram must be >= 1: " + ngram);
    }
  }
}
