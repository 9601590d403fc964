package dev.assay.agreement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Published judgment files read as they are and presented as long-format ratings (item, rater, label), so their
 * agreement figures can be recomputed without a conversion step.
 *
 * <ul>
 *   <li>{@link #PANDALM}: PandaLM's human test set ({@code data/testset-v1.json}): a JSON array, one object per
 *       item. Item = the {@code idx} field; raters = every field named {@code annotatorN}, the rater taking the
 *       field's name; label = its value, 0 (tie), 1 or 2 (that response is better).
 *   <li>{@link #LLMBAR}: one LLMBar evaluator/strategy {@code result.json}: a JSON array, one object per item.
 *       Item = the element's 0-based position; three raters: {@code gold} (the item's {@code label}, 1 or 2),
 *       {@code original} and {@code swapped} (the {@code winner} of {@code "swap = False"} and {@code "swap = True"}
 *       in the <em>last</em> element of {@code results}, already mapped back to the original order). Earlier
 *       elements are a first round (redone by debate when the orders disagreed) or generated metrics/references,
 *       and LLMBar's {@code statistics.json} counts the last round. A null winner (a verdict LLMBar could not
 *       parse) becomes the label {@code none}, a vote for neither output, which is how {@code statistics.json}
 *       counts it in {@code equal} and {@code correct_*}; its {@code kappa_agreement} counts it as a vote for output
 *       2 instead, which the {@link LabelMap} rule {@code none=2} ({@code --map-label none=2}) reproduces.
 * </ul>
 *
 * <p>Failure modes: {@link InputException} naming the file, the line of the item's opening brace and the field for
 * a file of another shape (no {@code annotatorN} field, no {@code results}, a label outside its set). An item listed
 * twice is a rater's repeated vote, found by {@link AgreementReport#compute}.
 */
public enum ImportFormat {
  PANDALM {
    @Override
    List<Rating> votes(JsonArrayFile.Element e, String file) {
      JsonNode item = e.node();
      String idx = new JsonlReader.Line(file, e.line(), item).id("idx");
      List<Rating> out = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : item.properties()) {
        if (!ANNOTATOR.matcher(field.getKey()).matches()) {
          continue;
        }
        JsonNode v = field.getValue();
        if (!v.isIntegralNumber() || v.intValue() < 0 || v.intValue() > 2) {
          throw new InputException(
              file, e.line(), field.getKey(), "expected 0 (tie), 1 or 2 (that response is better), got " + v);
        }
        out.add(
            new Rating(
                ItemKey.of(idx), field.getKey(), Label.of(v.decimalValue()),
                new Origin(file, e.line(), field.getKey())));
      }
      if (out.isEmpty()) {
        throw new InputException(
            file, e.line(), "annotator1", "no annotatorN field: is this PandaLM's testset-v1.json?");
      }
      return out;
    }
  },

  LLMBAR {
    @Override
    List<Rating> votes(JsonArrayFile.Element e, String file) {
      JsonNode item = e.node();
      ItemKey key = ItemKey.of(Integer.toString(e.index()));
      JsonNode gold = item.get("label");
      if (gold == null || !gold.isIntegralNumber() || (gold.intValue() != 1 && gold.intValue() != 2)) {
        throw new InputException(
            file, e.line(), "label", "expected the gold label 1 or 2: is this an LLMBar result.json?");
      }
      JsonNode results = item.get("results");
      if (results == null || !results.isArray() || results.isEmpty()) {
        throw new InputException(file, e.line(), "results", "expected a non-empty list of rounds");
      }
      int last = results.size() - 1;
      List<Rating> out = new ArrayList<>(3);
      out.add(new Rating(key, "gold", Label.of(gold.decimalValue()), new Origin(file, e.line(), "label")));
      out.add(winner(file, e, key, results.get(last), last, "swap = False", "original"));
      out.add(winner(file, e, key, results.get(last), last, "swap = True", "swapped"));
      return out;
    }

    private Rating winner(
        String file, JsonArrayFile.Element e, ItemKey key, JsonNode round, int at, String order, String rater) {
      String field = "results[" + at + "]." + order + ".winner";
      JsonNode verdict = round.get(order);
      if (verdict == null || !verdict.isObject() || !verdict.has("winner")) {
        throw new InputException(file, e.line(), field, "missing: the last round must hold both orders' winners");
      }
      JsonNode w = verdict.get("winner");
      String label;
      if (w.isNull()) {
        label = "none";
      } else if ((w.isTextual() || w.isIntegralNumber()) && (w.asText().equals("1") || w.asText().equals("2"))) {
        label = w.asText();
      } else {
        throw new InputException(file, e.line(), field, "expected \"1\", \"2\" or null, got " + w);
      }
      return new Rating(key, rater, Label.of(label), new Origin(file, e.line(), field));
    }
  };

  private static final Pattern ANNOTATOR = Pattern.compile("annotator[0-9]+");

  /** The votes of one element of the file's array. */
  abstract List<Rating> votes(JsonArrayFile.Element element, String file);

  /** Reads every element of {@code file} as this format, labels as they are. */
  public Ratings read(Path file) {
    return read(file, RowFilter.ALL, LabelMap.NONE);
  }

  /**
   * Reads the elements of {@code file} that {@code where} keeps (tested on each element's own fields) as this
   * format, their labels mapped by {@code labels}; elements left out are counted and not checked further.
   *
   * @throws InputException as the class says, and when {@code where} keeps no element
   */
  public Ratings read(Path file, RowFilter where, LabelMap labels) {
    String name = file.toString();
    List<Rating> votes = new ArrayList<>();
    long leftOut = 0;
    long mapped = 0;
    for (JsonArrayFile.Element e : JsonArrayFile.read(file)) {
      if (!where.test(name, e.line(), e.node())) {
        leftOut++;
        continue;
      }
      for (Rating vote : votes(e, name)) {
        Label to = labels.map(vote.label());
        mapped += to == null ? 0 : 1;
        votes.add(to == null ? vote : new Rating(vote.item(), vote.rater(), to, vote.origin()));
      }
    }
    return Ratings.of(name, votes, where, leftOut, labels, mapped);
  }

  /** The lower-case name used on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The format named {@code name}, case-insensitively.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static ImportFormat parse(String name) {
    for (ImportFormat f : values()) {
      if (f.id().equalsIgnoreCase(name.strip())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown import format '" + name + "' (expected pandalm or llmbar)");
  }
}
