package dev.assay.curation.filters;

import java.io.Serializable;
import java.util.List;

/**
 * Settings of {@link EvalOverlapIndex}: the decontamination filter's entry of a recipe's {@code prompt_filters:}
 * section, built by the pipeline from {@link PromptFilterSpec} ({@code ngram}) with the defaults below for the rest;
 * a spec, owned by this stage. Failure mode: {@link IllegalArgumentException} for a value out of range.
 *
 * @param n a record is contaminated when it shares a run of {@code n} words with an evaluation item; default 13, as
 *     in GPT-3's decontamination (Brown et al. 2020, appendix C)
 * @param minWords an evaluation item shorter than {@code n} words but at least this long is matched as a whole (a
 *     short question copied verbatim is still a leak); shorter items are ignored as too generic; default 8
 * @param fields for JSONL evaluation files, the fields whose text is indexed (a string, or an array of strings, at
 *     any depth below the field); empty means every string value of the record
 */
public record DecontaminationSpec(int n, int minWords, List<String> fields) implements Serializable {
  public DecontaminationSpec {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
    if (minWords < 1 || minWords > n) {
      throw new IllegalArgumentException("minWords must be in [1, n]: " + minWords);
    }
    fields = fields == null ? List.of() : List.copyOf(fields);
  }

  public static DecontaminationSpec defaults() {
    return new DecontaminationSpec(13, 8, List.of());
  }
}
