package dev.assay.judging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.io.JsonlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads judgments a user already has, as Assay judgment records: JSONL (optionally {@code .gz}), one {@link Judgment}
 * per line in its snake_case JSON form, the same form the judging stage writes.
 *
 * <p>Required fields: {@code id}, {@code item_id}, {@code kind}, {@code judge}, {@code candidate_a}, {@code sample},
 * {@code status}, {@code reference_mode}, {@code source}; the record's own rules then apply (a pairwise judgment has a
 * {@code candidate_b}, only an {@code ok} judgment has a score or verdict, …).
 *
 * <p>Failure modes: {@link InputException} naming the file, the 1-based line and the field, for anything
 * {@link JsonlReader} rejects (bad UTF-8, malformed JSON, an empty file), a missing required field, an unknown field, a
 * wrong type or enum value, a record that breaks the {@link Judgment} rules, and a duplicate {@code id} (naming the
 * line of its first occurrence too).
 */
public final class JudgmentImport {
  /**
   * Checked before binding because a missing {@code sample} would otherwise bind as 0 (a primitive) and silently
   * collide with the real sample 0.
   */
  private static final List<String> REQUIRED =
      List.of("id", "item_id", "kind", "judge", "candidate_a", "sample", "status", "reference_mode", "source");

  private JudgmentImport() {}

  /**
   * Reads every judgment of {@code path}, in file order.
   *
   * @throws InputException naming the file, line and field of the first bad record
   */
  public static List<Judgment> read(Path path) {
    List<Judgment> out = new ArrayList<>();
    forEach(path, out::add);
    return out;
  }

  /**
   * Hands every judgment of {@code path} to {@code sink} in file order, checking each as {@link #read} does, without
   * holding the records: only the ids are kept, to catch a duplicate. A judgment already handed on stays handed on
   * when a later line turns out bad, so a caller that must not act on a bad file collects or stages first.
   *
   * @throws InputException naming the file, line and field of the first bad record
   */
  public static void forEach(Path path, java.util.function.Consumer<Judgment> sink) {
    Map<String, Long> firstLine = new HashMap<>();
    JsonlReader.forEach(path, line -> {
      for (String field : REQUIRED) {
        if (!line.node().hasNonNull(field)) {
          throw new InputException(line.file(), line.number(), field, "missing required field");
        }
      }
      Judgment j = bind(line);
      Long before = firstLine.putIfAbsent(j.id(), line.number());
      if (before != null) {
        throw new InputException(
            line.file(), line.number(), "id", "duplicate judgment id '" + j.id() + "' (first on line " + before + ")");
      }
      sink.accept(j);
    });
  }

  private static Judgment bind(JsonlReader.Line line) {
    try {
      return Json.mapper().treeToValue(line.node(), Judgment.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InputException(line.file(), line.number(), e.getPropertyName(), "unknown field", e);
    } catch (ValueInstantiationException e) {
      // The record's compact constructor refused the values; its message says which rule, and an NPE names the field.
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String message = cause.getMessage() == null ? "" : cause.getMessage();
      String field = null;
      if (cause instanceof NullPointerException) {
        field = snake(message);
      } else if (message.matches("[a-z][A-Za-z]* must .*")) {
        field = snake(message.substring(0, message.indexOf(' ')));
      }
      String problem = cause instanceof NullPointerException ? "missing required field" : message;
      throw new InputException(line.file(), line.number(), field, problem, e);
    } catch (InvalidFormatException e) {
      String field = fieldOf(e);
      Class<?> target = e.getTargetType();
      String expected =
          target != null && target.isEnum()
              ? "one of " + Arrays.stream(target.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT)).map(JudgmentImport::wire).collect(Collectors.joining(", "))
              : "a " + (target == null ? "value of another type" : target.getSimpleName().toLowerCase(Locale.ROOT));
      throw new InputException(line.file(), line.number(), field, "invalid value " + e.getValue() + "; expected " + expected, e);
    } catch (JsonMappingException e) {
      throw new InputException(line.file(), line.number(), fieldOf(e), "wrong type: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new InputException(line.file(), line.number(), null, "cannot read judgment: " + e.getOriginalMessage(), e);
    }
  }

  /** Verdict's wire form keeps A and B upper case. */
  private static String wire(String lower) {
    return lower.equals("a") || lower.equals("b") ? lower.toUpperCase(Locale.ROOT) : lower;
  }

  private static String fieldOf(JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    for (int i = path.size() - 1; i >= 0; i--) {
      if (path.get(i).getFieldName() != null) {
        return path.get(i).getFieldName();
      }
    }
    return null;
  }

  /** {@code itemId} to {@code item_id}: the record names fields in camelCase, files in snake_case. */
  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
