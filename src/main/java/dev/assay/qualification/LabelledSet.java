package dev.assay.qualification;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.agreement.ImportFormat;
import dev.assay.agreement.JsonArrayFile;
import dev.assay.agreement.Rating;
import dev.assay.agreement.Ratings;
import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A labelled set of pairs a judge is qualified on, read from a published file as it is.
 *
 * <ul>
 *   <li>{@link Format#LLMBAR}: LLMBar's {@code dataset.json}, or any of its {@code result.json} files (the same items
 *       with the judge's results beside them): {@code input}, {@code output_1}, {@code output_2}, {@code label} (1 or
 *       2). Gold = {@code label}, which is also the only rater ({@code gold}). Both orders can be judged.
 *   <li>{@link Format#PANDALM}: PandaLM's {@code testset-v1.json}: the instruction is {@code instruction}, followed by
 *       a blank line and {@code input} when that is not blank; outputs {@code response1}, {@code response2}; raters
 *       {@code annotator1..3} (0 tie, 1, 2), read by the same reader as {@code assay agreement --import pandalm}. Gold
 *       = the label most raters gave when more than half gave it, else null (no majority, reported apart).
 * </ul>
 *
 * <p>Failure modes: {@link InputException} naming file, line and field for a file of another shape (missing texts, a
 * label outside its set), and whatever {@link JsonArrayFile#read} reports.
 *
 * @param format which reader read it
 * @param source the file
 * @param items the items in file order
 */
public record LabelledSet(Format format, String source, List<LabelledItem> items) {
  /** The published set formats. */
  public enum Format {
    LLMBAR,
    PANDALM;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LabelledSet {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(source, "source");
    items = List.copyOf(items);
  }

  /**
   * Reads {@code spec}, {@code llmbar:PATH} or {@code pandalm:PATH}.
   *
   * @throws IllegalArgumentException for another prefix
   */
  public static LabelledSet read(String spec) {
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? "" : spec.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    Path path = Path.of(spec.substring(colon + 1));
    return switch (kind) {
      case "llmbar" -> llmbar(path);
      case "pandalm" -> pandalm(path);
      default -> throw new IllegalArgumentException(
          "a labelled set is llmbar:PATH (dataset.json or a result.json) or pandalm:PATH (testset-v1.json), not '" + spec + "'");
    };
  }

  /** An LLMBar file: {@code dataset.json} or a {@code result.json}. */
  public static LabelledSet llmbar(Path file) {
    String name = file.toString();
    List<LabelledItem> items = new ArrayList<>();
    for (JsonArrayFile.Element e : JsonArrayFile.read(file)) {
      JsonlReader.Line line = new JsonlReader.Line(name, e.line(), e.node());
      JsonNode label = e.node().get("label");
      if (label == null || !label.isIntegralNumber() || (label.intValue() != 1 && label.intValue() != 2)) {
        throw new InputException(name, e.line(), "label", "expected the gold label 1 or 2: is this LLMBar's dataset.json?");
      }
      int gold = label.intValue();
      items.add(
          new LabelledItem(
              Integer.toString(e.index()), e.line(), line.text("input"), line.text("output_1"), line.text("output_2"), gold,
              Map.of("gold", gold)));
    }
    return new LabelledSet(Format.LLMBAR, name, items);
  }

  /** PandaLM's {@code testset-v1.json}. */
  public static LabelledSet pandalm(Path file) {
    String name = file.toString();
    Map<String, Map<String, Integer>> votes = new HashMap<>();
    Ratings ratings = ImportFormat.PANDALM.read(file);
    for (Rating r : ratings.ratings()) {
      votes.computeIfAbsent(r.item().parts().get(0), k -> new TreeMap<>()).put(r.rater(), r.label().number().intValue());
    }
    List<LabelledItem> items = new ArrayList<>();
    for (JsonArrayFile.Element e : JsonArrayFile.read(file)) {
      JsonlReader.Line line = new JsonlReader.Line(name, e.line(), e.node());
      String idx = line.id("idx");
      Map<String, Integer> raters = votes.getOrDefault(idx, Map.of());
      items.add(
          new LabelledItem(
              idx, e.line(), pandalmInstruction(line.text("instruction"), line.optionalText("input")),
              response(line, "response1"), response(line, "response2"), majority(raters), raters));
    }
    return new LabelledSet(Format.PANDALM, name, items);
  }

  /**
   * A PandaLM response. Six responses of the test set were published as JSON {@code true} (models that answered
   * "True" to "Verify the correctness of the given statement."); PandaLM's Python formats them into its prompt as
   * {@code True}, so that is their text here.
   */
  private static String response(JsonlReader.Line line, String field) {
    JsonNode v = line.node().get(field);
    if (v != null && v.isBoolean()) {
      return v.booleanValue() ? "True" : "False";
    }
    return line.text(field);
  }

  /** PandaLM's instruction as a judge sees it: the instruction, then its input after a blank line when there is one. */
  public static String pandalmInstruction(String instruction, String input) {
    return input == null || input.isBlank() ? instruction : instruction + "\n\n" + input;
  }

  /** The label more than half of the raters gave, or null. */
  static Integer majority(Map<String, Integer> raters) {
    Map<Integer, Integer> counts = new HashMap<>();
    raters.values().forEach(v -> counts.merge(v, 1, Integer::sum));
    for (Map.Entry<Integer, Integer> c : counts.entrySet()) {
      if (2 * c.getValue() > raters.size()) {
        return c.getKey();
      }
    }
    return null;
  }
}
