package dev.assay.agreement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.CsvReader;
import dev.assay.io.InputException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which rows of a ratings file are read ({@code --where FIELD=VALUE}, repeatable): a row is kept when every condition
 * holds, so that one file can be split (by turn, by category, by judge run) without a conversion script.
 *
 * <p>A condition holds when the row's field has the value as text ({@code judge=gpt-4}), or when both are numbers of
 * the same value ({@code turn=1} holds for {@code 1}, {@code 1.0} and {@code "1"}, as labels match, see {@link
 * Label#matches}). A JSON boolean is the text {@code true} or {@code false}. In an {@link ImportFormat} file the
 * fields are those of each element of the array ({@code label} in an LLMBar file is the gold label).
 *
 * <p>Rows that are left out are not read any further: their item, rater and label fields are not checked.
 *
 * <p>Failure modes: {@link IllegalArgumentException} from {@link #parse} for a condition without {@code =} or with an
 * empty field name (a caller's mistake); {@link InputException} naming the file, the line and the field for a row
 * without the field (or with null), or with an object or array there: a condition that cannot be checked is an
 * error, not a row silently left out.
 *
 * @param conditions the conditions, all of which must hold; empty to keep every row
 */
public record RowFilter(List<Condition> conditions) {
  /** Keeps every row. */
  public static final RowFilter ALL = new RowFilter(List.of());

  /**
   * One condition: the row's {@code field} has {@code value}.
   *
   * @param field a field (JSON) or column (CSV) name; not empty
   * @param value the value it must have; may be empty (an empty CSV cell, an empty JSON string)
   */
  public record Condition(String field, String value) {
    public Condition {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, "value");
      if (field.isEmpty()) {
        throw new IllegalArgumentException("empty field name in --where =" + value);
      }
    }

    /**
     * The condition written as {@code FIELD=VALUE}, split at the first {@code =} (a value may hold more).
     *
     * @throws IllegalArgumentException without {@code =} or with nothing before it
     */
    public static Condition parse(String spec) {
      int eq = spec.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("--where expects FIELD=VALUE, got '" + spec + "'");
      }
      return new Condition(spec.substring(0, eq), spec.substring(eq + 1));
    }

    /** True when {@code text} is the value, or both are numbers of the same value. */
    boolean holdsFor(String text) {
      if (text.equals(value)) {
        return true;
      }
      Double a = Label.parseNumber(text);
      Double b = Label.parseNumber(value);
      return a != null && b != null && a + 0.0 == b + 0.0;
    }

    @Override
    public String toString() {
      return field + "=" + value;
    }
  }

  public RowFilter {
    conditions = List.copyOf(conditions);
  }

  /** The conditions written as {@code FIELD=VALUE} each; an empty list keeps every row. */
  public static RowFilter parse(List<String> specs) {
    return new RowFilter(specs.stream().map(Condition::parse).toList());
  }

  /** True when there is no condition. */
  public boolean keepsAll() {
    return conditions.isEmpty();
  }

  /** The conditions as written, for reports. */
  public List<String> written() {
    return conditions.stream().map(Condition::toString).toList();
  }

  /**
   * Whether the JSON object {@code row}, on {@code line} of {@code file}, is kept.
   *
   * @throws InputException when a condition's field is missing, null, an object or an array
   */
  public boolean test(String file, long line, JsonNode row) {
    for (Condition c : conditions) {
      JsonNode v = row.get(c.field());
      if (v == null || v.isNull()) {
        throw new InputException(file, line, c.field(), "missing, so --where " + c + " cannot be checked");
      }
      if (v.isContainerNode()) {
        throw new InputException(
            file, line, c.field(),
            "--where compares text or numbers, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      String text = v.isNumber() ? Label.of(v.decimalValue()).text() : v.asText();
      if (!c.holdsFor(text)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The filter for the rows of {@code table}, its columns looked up once.
   *
   * @throws InputException (line 1, naming the field) when the header has no column for a condition
   */
  public Predicate<CsvReader.Row> forTable(CsvReader.Table table) {
    List<Condition> cs = conditions;
    int[] columns = cs.stream().mapToInt(c -> table.column(c.field())).toArray();
    return row -> {
      for (int i = 0; i < columns.length; i++) {
        if (!cs.get(i).holdsFor(row.values().get(columns[i]))) {
          return false;
        }
      }
      return true;
    };
  }

  /** The error for a filter that kept none of the {@code rows} read. */
  InputException nothingKept(String file, long rows) {
    return new InputException(
        file, 0, null,
        "no row matches --where " + String.join(" --where ", written()) + " (" + rows + " rows read)");
  }
}
