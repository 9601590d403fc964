package dev.assay.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.curation.pairs.PreferencePair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The set-level {@code label_smoothing = 1 - C} of DESIGN section 2, and where it came from.
 *
 * <p>Looked up in this order: a numeric {@code label_smoothing} at the top of the manifest; a {@code consistency}
 * object in the manifest with a numeric {@code rate}, {@code mean} or {@code c} (then {@code 1 -} that); otherwise
 * the mean of the exported pairs' per-prompt {@code consistency}, each prompt counted once. That last fallback is C
 * over the prompts that kept a pair, not over every prompt the run measured, and the card says so.
 *
 * @param value {@code 1 - C} in [0, 1], or null when consistency was not measured
 * @param source a sentence saying where the value came from
 * @param consistency the C it came from, or null
 */
public record LabelSmoothing(Double value, String source, Double consistency) {
  static LabelSmoothing of(JsonNode manifest, List<PreferencePair> pairs) {
    JsonNode direct = manifest.get("label_smoothing");
    if (direct != null && direct.isNumber()) {
      double v = direct.asDouble();
      return new LabelSmoothing(v, "the run's manifest (label_smoothing)", 1 - v);
    }
    JsonNode c = manifest.get("consistency");
    if (c != null && c.isObject()) {
      for (String key : List.of("rate", "mean", "c")) {
        JsonNode v = c.get(key);
        if (v != null && v.isNumber()) {
          return new LabelSmoothing(1 - v.asDouble(), "the run's manifest (consistency." + key + ")", v.asDouble());
        }
      }
    }
    Map<String, Double> perPrompt = new LinkedHashMap<>();
    for (PreferencePair p : pairs) {
      if (p.consistency() != null) {
        perPrompt.putIfAbsent(p.promptId(), p.consistency());
      }
    }
    if (perPrompt.isEmpty()) {
      return new LabelSmoothing(null, "not measured: the manifest has no consistency and no pair carries one", null);
    }
    double mean = perPrompt.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    return new LabelSmoothing(
        1 - mean,
        "the mean per-prompt consistency C(x) of the " + perPrompt.size()
            + " prompts with an exported pair (the manifest has no set-level C; this is C over kept prompts only)",
        mean);
  }
}
