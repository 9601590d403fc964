package dev.assay.judging;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.assay.io.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A flat YAML mapping of scalar values, read strictly so that every error names the file, the line and the key.
 *
 * <p>Streams tokens rather than binding to a tree because a tree forgets where each key was: configuration errors
 * must point at a line. Nested values, duplicate keys, unknown keys and wrong types are errors.
 */
final class YamlFields {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  /** One key's scalar value and where it was written. */
  record Field(String name, JsonToken token, String text, int line) {}

  private final String file;
  private final byte[] bytes;
  private final Map<String, Field> fields;

  private YamlFields(String file, byte[] bytes, Map<String, Field> fields) {
    this.file = file;
    this.bytes = bytes;
    this.fields = fields;
  }

  static YamlFields read(Path path) {
    String file = path.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new InputException(file, 0, null, "file not found");
    } catch (IOException e) {
      throw new InputException(file, 0, null, "cannot read: " + e.getMessage(), e);
    }
    Map<String, Field> fields = new LinkedHashMap<>();
    try (JsonParser p = YAML.createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new InputException(file, 0, null, "the file is empty");
      }
      if (t != JsonToken.START_OBJECT) {
        throw new InputException(file, line(p.currentTokenLocation()), null, "expected a mapping of keys to values");
      }
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int keyLine = line(p.currentTokenLocation());
        if (fields.containsKey(name)) {
          throw new InputException(
              file, keyLine, name, "duplicate key (first on line " + fields.get(name).line() + ")");
        }
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          throw new InputException(file, keyLine, name, "expected a single value, got a nested block");
        }
        fields.put(name, new Field(name, v, v == JsonToken.VALUE_NULL ? null : p.getText(), keyLine));
      }
      if (p.nextToken() != null) {
        throw new InputException(file, line(p.currentTokenLocation()), null, "expected one YAML document");
      }
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      throw new InputException(file, where == null ? 0 : line(where), null, "malformed YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InputException(file, 0, null, "cannot read: " + e.getMessage(), e);
    }
    return new YamlFields(file, bytes, fields);
  }

  private static int line(JsonLocation location) {
    return Math.max(location.getLineNr(), 0);
  }

  String file() {
    return file;
  }

  byte[] bytes() {
    return bytes.clone();
  }

  Set<String> names() {
    return fields.keySet();
  }

  /** Line of a key, or 0 when absent (the error is then about the whole file). */
  int line(String name) {
    Field f = fields.get(name);
    return f == null ? 0 : f.line();
  }

  /** Rejects keys outside {@code allowed}, naming the first unknown one and the keys that are known. */
  void rejectUnknown(Set<String> allowed) {
    for (Field f : fields.values()) {
      if (!allowed.contains(f.name())) {
        throw new InputException(file, f.line(), f.name(), "unknown key; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  String requiredText(String name) {
    String v = optionalText(name);
    if (v == null) {
      throw new InputException(file, line(name), name, fields.containsKey(name) ? "has no value" : "missing required key");
    }
    return v;
  }

  String optionalText(String name) {
    Field f = fields.get(name);
    if (f == null || f.token() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (f.token() != JsonToken.VALUE_STRING) {
      throw new InputException(file, f.line(), name, "expected text, got " + describe(f));
    }
    return f.text();
  }

  int optionalInt(String name, int fallback) {
    Field f = fields.get(name);
    if (f == null || f.token() == JsonToken.VALUE_NULL) {
      return fallback;
    }
    if (f.token() != JsonToken.VALUE_NUMBER_INT) {
      throw new InputException(file, f.line(), name, "expected an integer, got " + describe(f));
    }
    try {
      return Integer.parseInt(f.text());
    } catch (NumberFormatException e) {
      throw new InputException(file, f.line(), name, "integer out of range: " + f.text());
    }
  }

  /**
   * The 1-based line of the first occurrence of {@code needle} in the file, or {@code fallback} when it does not
   * occur verbatim (folded YAML scalars can rewrap text). Used to point at a placeholder inside a block scalar,
   * where the parser only knows the key's line.
   */
  int lineOf(String needle, int fallback) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf(needle);
    if (at < 0) {
      return fallback;
    }
    int line = 1;
    for (int i = 0; i < at; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String describe(Field f) {
    return switch (f.token()) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number (" + f.text() + ")";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean (" + f.text() + ")";
      case VALUE_STRING -> "text";
      default -> f.token().name().toLowerCase();
    };
  }
}
