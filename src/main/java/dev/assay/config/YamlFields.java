package dev.assay.config;

import dev.assay.config.ConfigNode.MapNode;
import dev.assay.config.ConfigNode.ScalarNode;
import dev.assay.io.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A flat YAML mapping of scalar values (a prompt template, a rubric), read by the one strict reader, {@link
 * YamlTreeReader}, so that every error names the file, the line and the key.
 *
 * <p>Contract: the top level is a mapping whose values are scalars; nested values, duplicate keys, several documents
 * and unknown keys (with {@link #rejectUnknown}) are errors. Failure mode: {@link InputException} naming file, line and
 * key, for the first problem in the file.
 */
public final class YamlFields {
  private final String file;
  private final byte[] bytes;
  private final Map<String, ScalarNode> fields;

  private YamlFields(String file, byte[] bytes, Map<String, ScalarNode> fields) {
    this.file = file;
    this.bytes = bytes;
    this.fields = fields;
  }

  /** Reads {@code path}; {@link InputException} when it is missing, unreadable or not a flat mapping. */
  public static YamlFields read(Path path) {
    String file = path.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new InputException(file, 0, null, "file not found");
    } catch (IOException e) {
      throw new InputException(file, 0, null, "cannot read: " + e.getMessage(), e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new InputException(file, 0, null, "not valid UTF-8");
    }
    if (text.isBlank()) {
      throw new InputException(file, 0, null, "the file is empty");
    }
    List<ConfigProblem> problems = new ArrayList<>();
    MapNode root = YamlTreeReader.readDocument(text, file, problems);
    if (!problems.isEmpty()) {
      ConfigProblem p = problems.get(0);
      throw new InputException(file, p.line(), p.fieldPath(), p.message());
    }
    Map<String, ScalarNode> fields = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : root.entries().entrySet()) {
      if (!(e.getValue() instanceof ScalarNode s)) {
        throw new InputException(file, e.getValue().origin().line(), e.getKey(), "expected a single value, got a nested block");
      }
      fields.put(e.getKey(), s);
    }
    return new YamlFields(file, bytes, Collections.unmodifiableMap(fields));
  }

  public String file() {
    return file;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public Set<String> names() {
    return fields.keySet();
  }

  /** Line of a key, or 0 when absent (the error is then about the whole file). */
  public int line(String name) {
    ScalarNode f = fields.get(name);
    return f == null ? 0 : (int) f.origin().line();
  }

  /** Rejects keys outside {@code allowed}, naming the first unknown one and the keys that are known. */
  public void rejectUnknown(Set<String> allowed) {
    for (String name : fields.keySet()) {
      if (!allowed.contains(name)) {
        throw new InputException(file, line(name), name, "unknown key; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  public String requiredText(String name) {
    String v = optionalText(name);
    if (v == null) {
      throw new InputException(file, line(name), name, fields.containsKey(name) ? "has no value" : "missing required key");
    }
    return v;
  }

  public String optionalText(String name) {
    ScalarNode f = fields.get(name);
    if (f == null || f.isNull()) {
      return null;
    }
    if (!(f.value() instanceof String s)) {
      throw new InputException(file, line(name), name, "expected text, got " + describe(f));
    }
    return s;
  }

  public int optionalInt(String name, int fallback) {
    ScalarNode f = fields.get(name);
    if (f == null || f.isNull()) {
      return fallback;
    }
    if (!(f.value() instanceof Long || f.value() instanceof Integer || f.value() instanceof java.math.BigInteger)) {
      throw new InputException(file, line(name), name, "expected an integer, got " + describe(f));
    }
    try {
      return Integer.parseInt(f.text().strip());
    } catch (NumberFormatException e) {
      throw new InputException(file, line(name), name, "integer out of range: " + f.text());
    }
  }

  /**
   * The 1-based line of the first occurrence of {@code needle} in the file, or {@code fallback} when it does not
   * occur verbatim (folded YAML scalars can rewrap text). Used to point at a placeholder inside a block scalar,
   * where the parser only knows the key's line.
   */
  public int lineOf(String needle, int fallback) {
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

  private static String describe(ScalarNode f) {
    Object v = f.value();
    if (v instanceof Number) {
      return "a number (" + f.text() + ")";
    }
    if (v instanceof Boolean) {
      return "a boolean (" + f.text() + ")";
    }
    return v instanceof String ? "text" : "a " + v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
