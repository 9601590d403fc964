package dev.assay.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads user-given JSONL (optionally {@code .gz}) strictly: every problem is an {@link InputException} naming the
 * file and the 1-based line.
 *
 * <p>Rejects invalid UTF-8 (on the line of the bad byte: lines are split on bytes and decoded one at a time, see
 * {@link DecodedLines}), lines longer than {@link #MAX_LINE_CHARS}, lines that are not a JSON object, and a file with
 * no records. Blank lines are skipped (many tools write a trailing one); a UTF-8 byte-order mark at the start of the
 * file is dropped. A malformed line's message gives the column
 * and Jackson's sentence, without Jackson's internal source description ({@link Json#syntaxProblem}).
 */
public final class JsonlReader {
  /** 16 Mi characters: far above any real prompt, low enough that one bad line cannot exhaust the heap. */
  public static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

  /** One parsed line: its 1-based number and its JSON object. */
  public record Line(String file, long number, JsonNode node) {
    /** The text of a required string field, or an {@link InputException} naming this line and field. */
    public String text(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw new InputException(file, number, field, "missing required field");
      }
      if (!v.isTextual()) {
        throw new InputException(file, number, field, "expected a string, got " + v.getNodeType().name().toLowerCase());
      }
      return v.asText();
    }

    /** The text of an optional string field, or null when absent; wrong types are still an error. */
    public String optionalText(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        throw new InputException(file, number, field, "expected a string, got " + v.getNodeType().name().toLowerCase());
      }
      return v.asText();
    }

    /** An id field that may be a string or an integer in the file; always returned as text. */
    public String id(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw new InputException(file, number, field, "missing required field");
      }
      if (!v.isTextual() && !v.isIntegralNumber()) {
        throw new InputException(file, number, field, "expected a string or an integer id");
      }
      String id = v.asText();
      if (id.isBlank()) {
        throw new InputException(file, number, field, "id is blank");
      }
      return id;
    }
  }

  private JsonlReader() {}

  /** Reads every record of {@code path}. */
  public static List<Line> readAll(Path path) {
    List<Line> out = new ArrayList<>();
    forEach(path, out::add);
    return out;
  }

  /**
   * Hands every record of {@code path} to {@code sink}, one line at a time, in file order: memory does not grow with
   * the file. The same checks and errors as {@link #readAll}; a record already handed on stays handed on when a later
   * line turns out bad.
   */
  public static void forEach(Path path, java.util.function.Consumer<Line> sink) {
    forEachWhile(path, line -> {
      sink.accept(line);
      return true;
    });
  }

  /**
   * As {@link #forEach}, until {@code sink} returns false: the rest of the file is then neither read nor checked (a
   * recipe's {@code input.limit}).
   */
  public static void forEachWhile(Path path, java.util.function.Predicate<Line> sink) {
    String name = path.toString();
    long records = 0;
    try (DecodedLines lines = DecodedLines.open(path, MAX_LINE_CHARS)) {
      String text;
      while ((text = lines.next()) != null) {
        if (text.endsWith("\r")) {
          text = text.substring(0, text.length() - 1);
        }
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
          throw new InputException(name, lines.number(), null, Json.syntaxProblem(e, false), e);
        }
        if (node == null || !node.isObject()) {
          throw new InputException(name, lines.number(), null, "expected a JSON object per line");
        }
        records++;
        if (!sink.test(new Line(name, lines.number(), node))) {
          break;
        }
      }
    }
    if (records == 0) {
      throw new InputException(name, 0, null, "no records (the file is empty)");
    }
  }
}
