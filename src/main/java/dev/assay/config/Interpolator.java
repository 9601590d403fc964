package dev.assay.config;

import dev.assay.config.ConfigNode.ListNode;
import dev.assay.config.ConfigNode.MapNode;
import dev.assay.config.ConfigNode.ScalarNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in string values; a doubled dollar before a brace is a
 * literal dollar and brace.
 *
 * <p>As in a POSIX shell, {@code :-} takes the default when the variable is unset or empty, and {@code ${VAR}} of an
 * empty variable is the empty string. Keys are never expanded, and neither are include paths (includes are resolved
 * before expansion, so the set of files read does not depend on the environment). Problems name the variable,
 * never a value.
 */
public final class Interpolator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Function<String, String> env;
  private final List<ConfigProblem> problems;
  private final Set<ConfigNode> failed = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * The expanded tree, and the scalars that could not be expanded (kept as written, by identity): later checks skip
   * them, so one unset variable is one problem, not also a bad URL and a missing file.
   */
  public record Result(MapNode tree, Set<ConfigNode> failed) {}

  private Interpolator(Function<String, String> env, List<ConfigProblem> problems) {
    this.env = env;
    this.problems = problems;
  }

  /** A copy of {@code root} with every string expanded; expanded scalars remember their written text. */
  public static Result expand(MapNode root, Function<String, String> env, List<ConfigProblem> problems) {
    Interpolator interpolator = new Interpolator(env, problems);
    MapNode tree = (MapNode) interpolator.expand(root, "");
    return new Result(tree, Collections.unmodifiableSet(interpolator.failed));
  }

  private ConfigNode expand(ConfigNode node, String path) {
    if (node instanceof MapNode m) {
      Map<String, ConfigNode> out = new LinkedHashMap<>();
      m.entries().forEach((k, v) -> out.put(k, expand(v, join(path, k))));
      return new MapNode(out, m.origin());
    }
    if (node instanceof ListNode l) {
      List<ConfigNode> out = new ArrayList<>();
      for (int i = 0; i < l.items().size(); i++) {
        out.add(expand(l.items().get(i), join(path, Integer.toString(i))));
      }
      return new ListNode(out, l.origin());
    }
    ScalarNode s = (ScalarNode) node;
    if (!(s.value() instanceof String text) || text.indexOf('$') < 0) {
      return s;
    }
    String expanded = expandText(text, s, path);
    if (expanded == null) {
      failed.add(s);
      return s;
    }
    if (expanded.equals(text)) {
      return s;
    }
    return new ScalarNode(expanded, expanded, s.origin(), text);
  }

  private String expandText(String text, ScalarNode at, String path) {
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (c != '$' || !text.startsWith("${", i)) {
        out.append(c);
        i++;
        continue;
      }
      int close = text.indexOf('}', i + 2);
      if (close < 0) {
        problem(at, path, "unterminated '${' (write $${ for a literal ${)");
        return null;
      }
      String body = text.substring(i + 2, close);
      int sep = body.indexOf(":-");
      String name = sep < 0 ? body : body.substring(0, sep);
      String dflt = sep < 0 ? null : body.substring(sep + 2);
      if (!NAME.matcher(name).matches()) {
        problem(at, path, "invalid variable name in '${" + body + "}' (use ${NAME} or ${NAME:-default})");
        ok = false;
      } else {
        String value = env.apply(name);
        if (dflt != null && (value == null || value.isEmpty())) {
          value = dflt;
        }
        if (value == null) {
          problem(at, path, "environment variable " + name + " is not set (or give a default: ${" + name + ":-...})");
          ok = false;
        } else {
          out.append(value);
        }
      }
      i = close + 1;
    }
    return ok ? out.toString() : null;
  }

  private void problem(ScalarNode at, String path, String message) {
    problems.add(new ConfigProblem(at.origin().file(), at.origin().line(), path, message));
  }

  public static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
