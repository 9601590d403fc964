package dev.assay.qualification;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One labelled pair: an instruction, two outputs and what people said about them.
 *
 * @param id the item's id in its file (LLMBar: 0-based position; PandaLM: {@code idx})
 * @param line the line of the item's opening brace, for messages
 * @param instruction the instruction as a judge is shown it
 * @param output1 the first output ({@code output_1}, {@code response1})
 * @param output2 the second output
 * @param gold the reference label: 1 or 2 (that output is better), 0 (a tie), or null (the raters have no majority)
 * @param raters each human rater's label on the same scale (LLMBar: only {@code gold}; PandaLM: its three annotators)
 */
public record LabelledItem(
    String id, long line, String instruction, String output1, String output2, Integer gold, Map<String, Integer> raters) {
  public LabelledItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(output1, "output1");
    Objects.requireNonNull(output2, "output2");
    if (gold != null && (gold < 0 || gold > 2)) {
      throw new IllegalArgumentException("gold must be 0, 1, 2 or null: " + gold);
    }
    raters = Map.copyOf(new TreeMap<>(raters));
  }

  /** Whether the gold label names a better output (not a tie, not missing). */
  public boolean decisive() {
    return gold != null && gold != 0;
  }
}
