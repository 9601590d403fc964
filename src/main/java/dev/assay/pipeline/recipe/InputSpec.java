package dev.assay.pipeline.recipe;

import java.util.Objects;

/**
 * The run's input file and how to read it.
 *
 * @param path the file, relative to the recipe's folder unless absolute
 * @param format {@code prompts} (JSONL: id, prompt, optional reference), {@code candidates} (JSONL: id, prompt_id,
 *     prompt, response; optional gold_score, the truth the run's filter gains are measured against), {@code judgments} (JSONL of Assay judgment records) or {@code prometheus-eval} (the
 *     prometheus-eval benchmark JSON with GPT-4 judgments); default {@code prompts}
 * @param limit read at most this many records (0 = all)
 * @param license the input's licence (a Hub identifier such as {@code cc-by-4.0} or free text), or null when unknown;
 *     only the dataset card reads it
 */
public record InputSpec(String path, String format, Integer limit, String license) implements java.io.Serializable {
  public InputSpec {
    Objects.requireNonNull(path, "path");
    format = format == null ? "prompts" : format;
    if (!java.util.Set.of("prompts", "candidates", "judgments", "prometheus-eval").contains(format)) {
      throw new IllegalArgumentException(
          "format must be one of prompts, candidates, judgments, prometheus-eval: " + format);
    }
    limit = limit == null ? 0 : limit;
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
  }
}
