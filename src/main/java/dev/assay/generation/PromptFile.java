package dev.assay.generation;

import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the prompts file of a run: JSONL with {@code id} (string or integer), {@code prompt} (string) and an optional
 * {@code reference} (string). Any other field is kept out of the record but allowed (users' files carry metadata).
 *
 * <p>Fails with an {@link InputException} naming file, line and field for malformed lines, missing or mistyped
 * fields, and duplicate ids (naming the line of the first occurrence too).
 */
public final class PromptFile {
  private PromptFile() {}

  /** Reads at most {@code limit} prompts (0 = all), in file order. */
  public static List<Prompt> read(Path file, int limit) {
    List<Prompt> prompts = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    for (JsonlReader.Line line : JsonlReader.readAll(file)) {
      String id = line.id("id");
      Long first = seen.putIfAbsent(id, line.number());
      if (first != null) {
        throw new InputException(line.file(), line.number(), "id", "duplicate id '" + id + "' (first on line " + first + ")");
      }
      String text = line.text("prompt");
      if (text.isBlank()) {
        throw new InputException(line.file(), line.number(), "prompt", "prompt is blank");
      }
      prompts.add(new Prompt(id, text, line.optionalText("reference")));
      if (limit > 0 && prompts.size() == limit) {
        break;
      }
    }
    return prompts;
  }
}
