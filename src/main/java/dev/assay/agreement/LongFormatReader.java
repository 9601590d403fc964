package dev.assay.agreement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.CsvReader;
import dev.assay.io.InputException;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Reads a long-format ratings file, one vote per row, from JSONL or CSV.
 *
 * <p>Each row has the item key fields (one or more), a rater field and a label field; other fields are ignored.
 * Item and rater values may be strings or integers in JSONL (any non-blank text in CSV). Labels may be strings,
 * numbers or booleans in JSONL; in CSV a label is text, and numeric when it reads as a decimal number (see {@link
 * Label}). A {@link RowFilter} ({@code --where}) may keep only some rows, and a {@link LabelMap} ({@code
 * --map-label}) renames labels as they are read, or gives a missing one a value.
 *
 * <p>Failure modes, each an {@link InputException} naming the file, the 1-based line and the field: a missing or
 * unreadable file, an empty file, malformed JSON or CSV (see {@link JsonlReader}, {@link CsvReader}: ragged rows,
 * unclosed quotes), a missing field or header column, a blank item or rater, an object or array value, a missing
 * label (null, absent, blank, an empty cell) that no {@link LabelMap} rule maps, no row kept. A rater who rated the
 * same item twice is found later, by {@link AgreementReport#compute}, among the raters it uses.
 */
public final class LongFormatReader {
  /** The syntax of a ratings file. */
  public enum Format {
    /** One JSON object per line ({@code .jsonl}, {@code .ndjson}, optionally {@code .gz}). */
    JSONL,
    /** Comma-separated values with a header row, RFC 4180 quoting ({@code .csv}, optionally {@code .gz}). */
    CSV;

    /**
     * The format a file name implies: {@code .jsonl} or {@code .ndjson} for JSONL, {@code .csv} for CSV, either
     * optionally followed by {@code .gz}. A {@code .json} file is usually one JSON array, not JSONL, so it is not
     * guessed.
     *
     * @throws InputException when the extension says neither
     */
    public static Format of(Path file) {
      String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".gz")) {
        name = name.substring(0, name.length() - 3);
      }
      if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
        return JSONL;
      }
      if (name.endsWith(".csv")) {
        return CSV;
      }
      throw new InputException(
          file.toString(), 0, null, "cannot tell the format from the file name; give the format (jsonl or csv)");
    }
  }

  /**
   * Which fields of a row hold what.
   *
   * @param item the item key fields, in order (one or more, distinct)
   * @param rater the rater field
   * @param label the label field
   */
  public record Fields(List<String> item, String rater, String label) {
    /** The defaults: {@code item}, {@code rater}, {@code label}. */
    public static final Fields DEFAULT = new Fields(List.of("item"), "rater", "label");

    public Fields {
      item = List.copyOf(item);
      Objects.requireNonNull(rater, "rater");
      Objects.requireNonNull(label, "label");
      if (item.isEmpty()) {
        throw new IllegalArgumentException("at least one item field is needed");
      }
      List<String> all = new ArrayList<>(item);
      all.add(rater);
      all.add(label);
      for (String field : all) {
        if (field.isBlank()) {
          throw new IllegalArgumentException("a field name cannot be blank");
        }
      }
      if (new HashSet<>(all).size() != all.size()) {
        throw new IllegalArgumentException("item, rater and label fields must all differ: " + all);
      }
    }
  }

  private LongFormatReader() {}

  /** Reads every row of {@code file} in {@code format}, labels as they are. */
  public static Ratings read(Path file, Format format, Fields fields) {
    return read(file, format, fields, RowFilter.ALL, LabelMap.NONE);
  }

  /**
   * Reads the rows of {@code file} that {@code where} keeps, their labels mapped by {@code labels}; rows left out
   * are counted and not checked further.
   *
   * @throws InputException as the class says, and when {@code where} keeps no row
   */
  public static Ratings read(Path file, Format format, Fields fields, RowFilter where, LabelMap labels) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(fields, "fields");
    Reading reading = new Reading(file.toString(), where, labels);
    switch (format) {
      case JSONL -> readJsonl(file, fields, reading);
      case CSV -> readCsv(file, fields, reading);
    }
    return reading.ratings();
  }

  private static void readJsonl(Path file, Fields fields, Reading reading) {
    for (JsonlReader.Line line : JsonlReader.readAll(file)) {
      if (!reading.where.test(line.file(), line.number(), line.node())) {
        reading.leftOut++;
        continue;
      }
      List<String> key = new ArrayList<>(fields.item().size());
      for (String field : fields.item()) {
        key.add(line.id(field));
      }
      String rater = line.id(fields.rater());
      Origin origin = new Origin(line.file(), line.number(), fields.label());
      JsonNode value = line.node().get(fields.label());
      if (value == null || value.isNull()) {
        reading.add(key, rater, null, origin, "missing label");
      } else if (value.isTextual() && value.asText().isBlank()) {
        reading.add(key, rater, null, origin, "blank label");
      } else {
        reading.add(key, rater, jsonLabel(origin, value), origin, null);
      }
    }
  }

  /**
   * A label from a JSON value that is there: string, number or boolean.
   *
   * @throws InputException for a non-finite number, an object or an array
   */
  private static Label jsonLabel(Origin origin, JsonNode value) {
    if (value.isNumber()) {
      if (!Double.isFinite(value.doubleValue())) {
        throw origin.problem("number out of range: " + value);
      }
      return Label.of(value.decimalValue());
    }
    if (value.isTextual() || value.isBoolean()) {
      return Label.of(value.asText());
    }
    throw origin.problem("expected a string or a number, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
  }

  private static void readCsv(Path file, Fields fields, Reading reading) {
    CsvReader.Table table = CsvReader.readAll(file);
    Predicate<CsvReader.Row> kept = reading.where.forTable(table);
    int[] itemColumns = fields.item().stream().mapToInt(table::column).toArray();
    int raterColumn = table.column(fields.rater());
    int labelColumn = table.column(fields.label());
    for (CsvReader.Row row : table.rows()) {
      if (!kept.test(row)) {
        reading.leftOut++;
        continue;
      }
      List<String> key = new ArrayList<>(itemColumns.length);
      for (int i = 0; i < itemColumns.length; i++) {
        key.add(nonBlank(table, row, itemColumns[i], fields.item().get(i), "empty item key"));
      }
      String rater = nonBlank(table, row, raterColumn, fields.rater(), "empty rater");
      String label = row.values().get(labelColumn);
      Origin origin = new Origin(table.file(), row.line(), fields.label());
      reading.add(key, rater, label.isBlank() ? null : Label.of(label), origin, "empty label");
    }
  }

  private static String nonBlank(CsvReader.Table table, CsvReader.Row row, int column, String field, String problem) {
    String v = row.values().get(column);
    if (v.isBlank()) {
      throw new InputException(table.file(), row.line(), field, problem);
    }
    return v;
  }

  /** The votes of one file as they are read: rows left out, labels mapped. */
  private static final class Reading {
    final String file;
    final RowFilter where;
    final LabelMap labels;
    final List<Rating> votes = new ArrayList<>();
    long leftOut;
    long mapped;

    Reading(String file, RowFilter where, LabelMap labels) {
      this.file = file;
      this.where = Objects.requireNonNull(where, "where");
      this.labels = Objects.requireNonNull(labels, "labels");
    }

    /**
     * Adds a vote; {@code label} is null when the row has none, and {@code missing} then says how it is missing.
     *
     * @throws InputException for a missing label that no rule maps
     */
    void add(List<String> key, String rater, Label label, Origin origin, String missing) {
      Label mappedTo = label == null ? labels.missing() : labels.map(label);
      if (label == null && mappedTo == null) {
        throw origin.problem(
            missing + " (leave the row out for a missing rating, or give it a label with --map-label =LABEL)");
      }
      if (mappedTo != null) {
        mapped++;
      }
      votes.add(new Rating(new ItemKey(key), rater, mappedTo != null ? mappedTo : label, origin));
    }

    Ratings ratings() {
      return Ratings.of(file, votes, where, leftOut, labels, mapped);
    }
  }
}
