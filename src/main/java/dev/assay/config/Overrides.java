package dev.assay.config;

import dev.assay.config.ConfigNode.ListNode;
import dev.assay.config.ConfigNode.MapNode;
import dev.assay.config.ConfigNode.Origin;
import dev.assay.config.ConfigNode.ScalarNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies {@code --set key.path=value} overrides to a merged tree.
 *
 * <p>Map keys that do not exist yet are created (a field left at its default can be set); whether the key is known
 * is decided by binding, which reports an unknown one with a suggestion. List items must exist: {@code judges.3.n}
 * on a one-judge list is a problem, not a silently grown list. Values are YAML scalars ({@link
 * YamlTreeReader#readScalar}). Messages never echo a value: it may be a key typed on the command line.
 */
public final class Overrides {
  static final String SOURCE = "--set";
  private static final Origin ORIGIN = new Origin(SOURCE, 0);

  private Overrides() {}

  public static MapNode apply(MapNode root, List<String> overrides, List<ConfigProblem> problems) {
    MapNode out = root;
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq < 0) {
        problems.add(new ConfigProblem(SOURCE, 0, null, "expected key.path=value, got '" + override + "'"));
        continue;
      }
      String key = override.substring(0, eq).strip();
      String[] segments = key.split("\\.", -1);
      if (key.isEmpty() || List.of(segments).contains("")) {
        problems.add(new ConfigProblem(SOURCE, 0, key.isEmpty() ? null : key, "empty key or empty path segment"));
        continue;
      }
      if (segments[0].equals("include")) {
        problems.add(new ConfigProblem(SOURCE, 0, key, "include cannot be overridden: includes are read before --set"));
        continue;
      }
      ScalarNode value = YamlTreeReader.readScalar(override.substring(eq + 1), ORIGIN);
      ConfigNode updated = set(out, segments, 0, value, key, problems);
      if (updated != null) {
        out = (MapNode) updated;
      }
    }
    return out;
  }

  /** The node with the value put at {@code segments[i..]}, or null (a problem was added) when the path is invalid. */
  private static ConfigNode set(
      ConfigNode node, String[] segments, int i, ScalarNode value, String key, List<ConfigProblem> problems) {
    String segment = segments[i];
    boolean last = i == segments.length - 1;
    if (node instanceof MapNode m) {
      ConfigNode child = m.get(segment);
      if (last) {
        return m.with(segment, value);
      }
      if (child == null || (child instanceof ScalarNode s && s.isNull())) {
        child = MapNode.empty(ORIGIN);
      }
      ConfigNode updated = set(child, segments, i + 1, value, key, problems);
      return updated == null ? null : m.with(segment, updated);
    }
    String prefix = String.join(".", List.of(segments).subList(0, i));
    if (node instanceof ListNode l) {
      int index;
      try {
        index = Integer.parseInt(segment);
      } catch (NumberFormatException e) {
        problems.add(new ConfigProblem(SOURCE, 0, key, prefix + " is a list: expected an index, got '" + segment + "'"));
        return null;
      }
      if (index < 0 || index >= l.items().size()) {
        problems.add(new ConfigProblem(SOURCE, 0, key,
            "index " + index + " is out of range: " + prefix + " has " + l.items().size() + " item(s)"));
        return null;
      }
      ConfigNode updated = last ? value : set(l.items().get(index), segments, i + 1, value, key, problems);
      if (updated == null) {
        return null;
      }
      List<ConfigNode> items = new ArrayList<>(l.items());
      items.set(index, updated);
      return new ListNode(items, l.origin());
    }
    problems.add(new ConfigProblem(SOURCE, 0, key, prefix + " is " + node.describe() + ", it has no field '" + segment + "'"));
    return null;
  }
}
