package dev.assay.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.testing.SharedData;
import java.nio.file.Path;

/** The three human annotators of PandaLM's test set ({@code shared/data/pandalm/testset-v1.json}). */
final class PandaLm {
  static final String TESTSET = "pandalm/testset-v1.json";

  private PandaLm() {}

  /**
   * {@code labels[a][i]}: annotator a+1's label of item i, 0 = tie, 1 or 2 = that response is better. Skips the
   * calling test when the data folder is absent.
   */
  static int[][] annotatorLabels() {
    Path file = SharedData.require(TESTSET);
    JsonNode items = SharedData.readTree(file);
    int[][] labels = new int[3][items.size()];
    for (int i = 0; i < items.size(); i++) {
      for (int a = 0; a < 3; a++) {
        JsonNode label = items.get(i).get("annotator" + (a + 1));
        if (label == null || !label.canConvertToInt()) {
          throw new AssertionError("item " + i + " has no integer annotator" + (a + 1));
        }
        labels[a][i] = label.intValue();
      }
    }
    return labels;
  }
}
