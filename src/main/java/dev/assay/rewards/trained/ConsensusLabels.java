package dev.assay.rewards.trained;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a consensus-labels file: JSONL (optionally {@code .gz}), one {@code {"prompt": str, "response": str,
 * "label": number}} object per line, for {@link TrainedRewardModel}.
 *
 * <p>Strict, like every user input: failure modes are {@link InputException}s naming the file, the 1-based line and
 * the field, for a missing field, a field of the wrong type, a label that is not a finite number, an unknown field (a
 * misspelt {@code lable} must not be silently dropped), plus everything {@link JsonlReader} rejects (malformed JSON,
 * invalid UTF-8, an empty file, a missing file).
 */
public final class ConsensusLabels {
  private static final Set<String> FIELDS = Set.of("prompt", "response", "label");

  private ConsensusLabels() {}

  public static List<ConsensusLabel> read(Path path) {
    List<ConsensusLabel> out = new ArrayList<>();
    for (JsonlReader.Line line : JsonlReader.readAll(path)) {
      Iterator<String> names = line.node().fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!FIELDS.contains(name)) {
          throw new InputException(line.file(), line.number(), name, "unknown field; expected label, prompt, response");
        }
      }
      String prompt = line.text("prompt");
      String response = line.text("response");
      JsonNode label = line.node().get("label");
      if (label == null || label.isNull()) {
        throw new InputException(line.file(), line.number(), "label", "missing required field");
      }
      if (!label.isNumber()) {
        throw new InputException(
            line.file(), line.number(), "label", "expected a number, got " + label.getNodeType().name().toLowerCase());
      }
      double value = label.asDouble();
      if (!Double.isFinite(value)) {
        throw new InputException(line.file(), line.number(), "label", "must be a finite number: " + label);
      }
      out.add(new ConsensusLabel(prompt, response, value));
    }
    return out;
  }
}
