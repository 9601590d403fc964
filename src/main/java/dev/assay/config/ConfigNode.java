package dev.assay.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A YAML value with the place it was written. The loader keeps its own tree instead of Jackson's {@code JsonNode}
 * because every problem, however late it is found (binding, cross-checks), must name a file and a line, and merged
 * trees mix nodes from several files.
 */
public sealed interface ConfigNode permits ConfigNode.MapNode, ConfigNode.ListNode, ConfigNode.ScalarNode {

  /** Where a node was written: for a map entry the line of its key, for a list item the line of the item. */
  record Origin(String file, long line) {}

  Origin origin();

  /** "a map", "an integer": how the node reads in a message. */
  String describe();

  /** The value as plain Java (sorted maps, lists, strings, numbers, booleans, null), for the manifest. */
  Object toPlain();

  /** A mapping; keys keep the order they were written in, so binding reports problems in file order. */
  public record MapNode(Map<String, ConfigNode> entries, Origin origin) implements ConfigNode {
    public MapNode {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public static MapNode empty(Origin origin) {
      return new MapNode(Map.of(), origin);
    }

    public ConfigNode get(String key) {
      return entries.get(key);
    }

    public MapNode with(String key, ConfigNode value) {
      Map<String, ConfigNode> copy = new LinkedHashMap<>(entries);
      copy.put(key, value);
      return new MapNode(copy, origin);
    }

    public MapNode without(String key) {
      Map<String, ConfigNode> copy = new LinkedHashMap<>(entries);
      copy.remove(key);
      return new MapNode(copy, origin);
    }

    @Override
    public String describe() {
      return "a map";
    }

    @Override
    public Object toPlain() {
      // Sorted so that the canonical form does not depend on the order keys were written in.
      Map<String, Object> out = new TreeMap<>();
      entries.forEach((k, v) -> out.put(k, v.toPlain()));
      return Collections.unmodifiableMap(out);
    }
  }

  /** A sequence. */
  public record ListNode(List<ConfigNode> items, Origin origin) implements ConfigNode {
    public ListNode {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }

    @Override
    public Object toPlain() {
      List<Object> out = new ArrayList<>(items.size());
      items.forEach(i -> out.add(i.toPlain()));
      return Collections.unmodifiableList(out);
    }
  }

  /**
   * A scalar as YAML resolved it.
   *
   * @param value a String, Long, BigInteger, Double, Boolean, or null
   * @param text the scalar as written ({@code yes}, {@code 1.10}), so a string field keeps what the user typed
   * @param unexpanded the text before {@code ${...}} interpolation, or null when nothing was interpolated; messages
   *     show it instead of the value, which may be a secret
   */
  public record ScalarNode(Object value, String text, Origin origin, String unexpanded) implements ConfigNode {
    public static ScalarNode of(Object value, String text, Origin origin) {
      return new ScalarNode(value, text, origin, null);
    }

    public boolean isNull() {
      return value == null;
    }

    public boolean interpolated() {
      return unexpanded != null;
    }

    /** What a message may quote: the written text, never an expanded environment value. */
    public String quotable() {
      return unexpanded != null ? unexpanded : text;
    }

    @Override
    public String describe() {
      if (value == null) {
        return "null";
      }
      if (value instanceof String) {
        return "a string";
      }
      if (value instanceof Boolean) {
        return "a boolean";
      }
      if (value instanceof Double) {
        return "a decimal number";
      }
      return "an integer";
    }

    @Override
    public Object toPlain() {
      return value;
    }
  }
}
