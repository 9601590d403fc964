package dev.assay.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.testing.SharedData;
import java.nio.file.Path;

/**
 * GPT-4's verdicts on LLMBar-Natural under the "Swap" strategy ({@code
 * shared/data/llmbar-natural/evaluators/GPT-4/Swap/result.json}), in both presentation orders.
 *
 * <p>Each item's {@code results} is a list of rounds; when the two orders disagree LLMBar runs a second, debate
 * round (7 of the 100 items here), and its {@code statistics.json} counts the <em>last</em> round: with the first
 * round the counts come out 92/93/89/93 instead of the published 94/95/93/97. Winners are already mapped back to
 * the original order ("1" = output_1).
 */
record LlmBarSwap(int[] label, int[] unswapped, int[] swapped) {
  static final String RESULT = "llmbar-natural/evaluators/GPT-4/Swap/result.json";

  static LlmBarSwap load() {
    Path file = SharedData.require(RESULT);
    JsonNode items = SharedData.readTree(file);
    int n = items.size();
    int[] label = new int[n];
    int[] unswapped = new int[n];
    int[] swapped = new int[n];
    for (int i = 0; i < n; i++) {
      JsonNode item = items.get(i);
      JsonNode rounds = item.get("results");
      JsonNode last = rounds.get(rounds.size() - 1);
      label[i] = item.get("label").intValue();
      unswapped[i] = Integer.parseInt(last.get("swap = False").get("winner").asText());
      swapped[i] = Integer.parseInt(last.get("swap = True").get("winner").asText());
    }
    return new LlmBarSwap(label, unswapped, swapped);
  }
}
