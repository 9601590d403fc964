package dev.assay.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.assay.config.ConfigNode.ListNode;
import dev.assay.config.ConfigNode.MapNode;
import dev.assay.config.ConfigNode.Origin;
import dev.assay.config.ConfigNode.ScalarNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ConfigNode} tree from YAML with Jackson's streaming parser, so each node keeps its line.
 *
 * <p>Problems go to the given list. Syntax errors make {@link #readDocument} return null (the file is unusable);
 * duplicate keys, aliases and binary values are reported but the rest of the file is still read, so one pass shows
 * every problem.
 */
public final class YamlTreeReader {
  // Plain "key:" with nothing after it means null in YAML; without this flag Jackson reads it as "".
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  private final String file;
  private final List<ConfigProblem> problems;

  private YamlTreeReader(String file, List<ConfigProblem> problems) {
    this.file = file;
    this.problems = problems;
  }

  /**
   * Reads a whole file whose top level must be a map; an empty file is an empty map.
   *
   * @return the root, or null when the YAML cannot be parsed (a problem was added)
   */
  public static MapNode readDocument(String content, String file, List<ConfigProblem> problems) {
    YamlTreeReader reader = new YamlTreeReader(file, problems);
    try (JsonParser p = FACTORY.createParser(content)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return MapNode.empty(new Origin(file, 1));
      }
      Origin rootOrigin = reader.origin(p);
      ConfigNode root = reader.readValue(p, rootOrigin, "");
      if (p.nextToken() != null) {
        problems.add(new ConfigProblem(file, reader.line(p), null, "more than one YAML document ('---'); use one"));
      }
      if (root instanceof MapNode map) {
        return map;
      }
      if (root instanceof ScalarNode s && s.isNull()) {
        return MapNode.empty(rootOrigin);
      }
      problems.add(new ConfigProblem(file, rootOrigin.line(), null, "expected a map at the top level, got " + root.describe()));
      return null;
    } catch (JsonProcessingException e) {
      problems.add(syntaxProblem(file, e));
      return null;
    } catch (IOException e) {
      // Parsing a String does no I/O; kept so that a parser change cannot turn into an unchecked surprise.
      problems.add(new ConfigProblem(file, 0, null, "cannot read: " + e.getMessage()));
      return null;
    }
  }

  /**
   * Reads a command-line value ({@code --set key=value}) as a YAML scalar, so {@code 5} is an integer and
   * {@code true} a boolean. Text that YAML would read as a map, a list or nothing valid ({@code You are: helpful})
   * stays the plain string the user typed: overrides set scalars, and a shell user should not need YAML quoting.
   * An empty text is null, which resets a field to its default.
   */
  public static ScalarNode readScalar(String text, Origin origin) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return ScalarNode.of(null, "", origin);
      }
      if (t.isScalarValue()) {
        ConfigNode node = new YamlTreeReader(origin.file(), new ArrayList<>()).readValue(p, origin, "");
        if (p.nextToken() == null) {
          return (ScalarNode) node;
        }
      }
    } catch (IOException e) {
      // Not YAML: the text itself is the value.
    }
    return ScalarNode.of(text, text, origin);
  }

  private ConfigNode readValue(JsonParser p, Origin at, String path) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        Map<String, Long> keyLines = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
          String key = p.currentName();
          Origin keyOrigin = origin(p);
          p.nextToken();
          String childPath = path.isEmpty() ? key : path + "." + key;
          ConfigNode child = readValue(p, keyOrigin, childPath);
          Long first = keyLines.putIfAbsent(key, keyOrigin.line());
          if (first != null) {
            // Silently keeping one of two values is how a misedit goes unnoticed.
            problems.add(new ConfigProblem(file, keyOrigin.line(), childPath, "duplicate key (first on line " + first + ")"));
          } else {
            entries.put(key, child);
          }
        }
        return new MapNode(entries, at);
      }
      case START_ARRAY -> {
        List<ConfigNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(p, origin(p), path + (path.isEmpty() ? "" : ".") + items.size()));
        }
        return new ListNode(items, at);
      }
      case VALUE_STRING -> {
        if (p instanceof YAMLParser yp && yp.isCurrentAlias()) {
          // Jackson hands an alias back as the anchor's name, which would bind silently as a wrong string.
          problems.add(new ConfigProblem(file, at.line(), path,
              "YAML aliases (*" + p.getText() + ") are not supported; repeat the value or move it to an included file"));
          return ScalarNode.of(null, "", at);
        }
        return ScalarNode.of(p.getText(), p.getText(), at);
      }
      case VALUE_NUMBER_INT -> {
        BigInteger big = p.getBigIntegerValue();
        Object value = big.bitLength() < 64 ? (Object) big.longValue() : big;
        return ScalarNode.of(value, p.getText(), at);
      }
      case VALUE_NUMBER_FLOAT -> {
        return ScalarNode.of(p.getDoubleValue(), p.getText(), at);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return ScalarNode.of(t == JsonToken.VALUE_TRUE, p.getText(), at);
      }
      case VALUE_NULL -> {
        return ScalarNode.of(null, p.getText(), at);
      }
      default -> {
        problems.add(new ConfigProblem(file, at.line(), path, "unsupported YAML value (" + t + ", e.g. !!binary)"));
        return ScalarNode.of(null, "", at);
      }
    }
  }

  private Origin origin(JsonParser p) {
    return new Origin(file, line(p));
  }

  private long line(JsonParser p) {
    return Math.max(0, p.currentTokenLocation().getLineNr());
  }

  /** SnakeYAML's messages span several lines with carets; keep the sentences, drop the pictures. */
  private static ConfigProblem syntaxProblem(String file, JsonProcessingException e) {
    long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
    String raw = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    // The quoted source line (shown above a caret) repeats the file's content; drop lines that preceded a caret.
    List<String> kept = new ArrayList<>();
    List<String> all = raw.lines().toList();
    for (int i = 0; i < all.size(); i++) {
      String l = all.get(i).strip();
      boolean beforeCaret = i + 1 < all.size() && all.get(i + 1).strip().matches("\\^+");
      if (!l.isEmpty() && !l.startsWith("in '") && !l.matches("\\^+") && !beforeCaret) {
        kept.add(l);
      }
    }
    String sentence = kept.isEmpty() ? raw.strip() : String.join("; ", kept);
    return new ConfigProblem(file, line, null, "YAML syntax error: " + sentence);
  }
}
