package dev.assay.generation;

import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
    forEach(file, limit, prompts::add);
    return prompts;
  }

  /**
   * Hands at most {@code limit} prompts (0 = all) to {@code sink}, in file order, one line at a time: only the ids
   * seen so far are held (for the duplicate check), not the prompts. A prompt already handed on stays handed on when
   * a later line turns out bad.
   */
  public static void forEach(Path file, int limit, Consumer<Prompt> sink) {
    Map<String, Long> seen = new HashMap<>();
    long[] n = {0};
    JsonlReader.forEachWhile(file, line -> {
      String id = line.id("id");
      Long first = seen.putIfAbsent(id, line.number());
      if (first != null) {
        throw new InputException(line.file(), line.number(), "id", "duplicate id '" + id + "' (first on line " + first + ")");
      }
      String text = line.text("prompt");
      if (text.isBlank()) {
        throw new InputException(line.file(), line.number(), "prompt", "prompt is blank");
      }
      sink.accept(new Prompt(id, text, line.optionalText("reference")));
      return limit <= 0 || ++n[0] < limit;
    });
  }
}
