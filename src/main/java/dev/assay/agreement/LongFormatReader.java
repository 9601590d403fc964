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
 * Label}). A {@link RowFilter} ({@code --where}) may keep only some rows.
 *
 * <p>Failure modes, each an {@link InputException} naming the file, the 1-based line and the field: a missing or
 * unreadable file, an empty file, malformed JSON or CSV (see {@link JsonlReader}, {@link CsvReader}: ragged rows,
 * unclosed quotes), a missing field or header column, a null, blank, object or array value. A rater who rated the
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

  /** Reads every row of {@code file} in {@code format}. */
  public static Ratings read(Path file, Format format, Fields fields) {
    return read(file, format, fields, RowFilter.ALL);
  }

  /**
   * Reads the rows of {@code file} that {@code where} keeps; rows it leaves out are counted and not checked further.
   *
   * @throws InputException as the class says, and when {@code where} keeps no row
   */
  public static Ratings read(Path file, Format format, Fields fields, RowFilter where) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(fields, "fields");
    Objects.requireNonNull(where, "where");
    long[] leftOut = {0};
    List<Rating> votes = switch (format) {
      case JSONL -> readJsonl(file, fields, where, leftOut);
      case CSV -> readCsv(file, fields, where, leftOut);
    };
    if (votes.isEmpty() && leftOut[0] > 0) {
      throw where.nothingKept(file.toString(), leftOut[0]);
    }
    return Ratings.of(file.toString(), votes, where, leftOut[0]);
  }

  private static List<Rating> readJsonl(Path file, Fields fields, RowFilter where, long[] leftOut) {
    List<Rating> votes = new ArrayList<>();
    for (JsonlReader.Line line : JsonlReader.readAll(file)) {
      if (!where.test(line.file(), line.number(), line.node())) {
        leftOut[0]++;
        continue;
      }
      List<String> key = new ArrayList<>(fields.item().size());
      for (String field : fields.item()) {
        key.add(line.id(field));
      }
      String rater = line.id(fields.rater());
      Label label = jsonLabel(line.file(), line.number(), fields.label(), line.node().get(fields.label()));
      votes.add(new Rating(new ItemKey(key), rater, label, new Origin(line.file(), line.number(), fields.label())));
    }
    return votes;
  }

  /**
   * A label from a JSON value: string, number or boolean.
   *
   * @throws InputException for a missing, null, blank, non-finite, object or array value
   */
  static Label jsonLabel(String file, long line, String field, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      throw new InputException(file, line, field, "missing label (leave the row out for a missing rating)");
    }
    if (value.isNumber()) {
      double d = value.doubleValue();
      if (!Double.isFinite(d)) {
        throw new InputException(file, line, field, "number out of range: " + value);
      }
      return Label.of(value.decimalValue());
    }
    if (value.isTextual() || value.isBoolean()) {
      if (value.asText().isBlank()) {
        throw new InputException(file, line, field, "blank label (leave the row out for a missing rating)");
      }
      return Label.of(value.asText());
    }
    throw new InputException(
        file, line, field, "expected a string or a number, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
  }

  private static List<Rating> readCsv(Path file, Fields fields, RowFilter where, long[] leftOut) {
    CsvReader.Table table = CsvReader.readAll(file);
    Predicate<CsvReader.Row> kept = where.forTable(table);
    int[] itemColumns = fields.item().stream().mapToInt(table::column).toArray();
    int raterColumn = table.column(fields.rater());
    int labelColumn = table.column(fields.label());
    List<Rating> votes = new ArrayList<>(table.rows().size());
    for (CsvReader.Row row : table.rows()) {
      if (!kept.test(row)) {
        leftOut[0]++;
        continue;
      }
      List<String> key = new ArrayList<>(itemColumns.length);
      for (int i = 0; i < itemColumns.length; i++) {
        key.add(nonBlank(table, row, itemColumns[i], fields.item().get(i), "empty item key"));
      }
      String rater = nonBlank(table, row, raterColumn, fields.rater(), "empty rater");
      String label =
          nonBlank(table, row, labelColumn, fields.label(), "empty label (leave the row out for a missing rating)");
      votes.add(
          new Rating(new ItemKey(key), rater, Label.of(label), new Origin(table.file(), row.line(), fields.label())));
    }
    return votes;
  }

  private static String nonBlank(CsvReader.Table table, CsvReader.Row row, int column, String field, String problem) {
    String v = row.values().get(column);
    if (v.isBlank()) {
      throw new InputException(table.file(), row.line(), field, problem);
    }
    return v;
  }
}
