package dev.assay.judging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small placeholder language of prompt templates: {@code {{name}}} inserts a value, {@code {{#name}}…{{/name}}}
 * keeps its body only when {@code name} has a non-blank value; a section tag alone on its line removes that line.
 * Nothing else of mustache: no loops, no escaping modes, no partials, so a template reads as the prompt it produces.
 *
 * <p>Rendering is one pass over the parsed template, so a value that itself contains {@code {{reference}}} is
 * inserted verbatim, never expanded: a response under evaluation cannot pull other data into the prompt.
 */
final class TemplateText {
  private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([#/]?)\\s*([^{}]*?)\\s*}}");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  sealed interface Node permits Text, Var, Section {}

  record Text(String text) implements Node {}

  /** @param tag the placeholder as written, to point at it in error messages */
  record Var(String name, String tag) implements Node {}

  record Section(String name, String tag, List<Node> body) implements Node {}

  /** A syntax error, with the offending tag as written so the caller can find its line. */
  static final class SyntaxException extends RuntimeException {
    private final String tag;

    SyntaxException(String tag, String message) {
      super(message);
      this.tag = tag;
    }

    String tag() {
      return tag;
    }
  }

  /**
   * Parsed templates by text. A judge renders its template once per request, and parsing (a regex scan, substrings,
   * a second replaceAll pass for stray braces) cost more than the rendering itself; a process uses a handful of
   * templates, so this stays small. The bound only guards against a caller that builds templates without end.
   */
  private static final Map<String, List<Node>> PARSED = new ConcurrentHashMap<>();

  private static final int MAX_PARSED = 256;

  private TemplateText() {}

  /** {@link #parse}, remembered per text: the nodes are never modified, so one parse serves every render. */
  static List<Node> parsed(String template) {
    List<Node> nodes = PARSED.get(template);
    if (nodes == null) {
      nodes = parse(template); // a syntax error throws here, and nothing is remembered
      if (PARSED.size() >= MAX_PARSED) {
        PARSED.clear();
      }
      PARSED.put(template, nodes);
    }
    return nodes;
  }

  static List<Node> parse(String template) {
    Deque<Section> open = new ArrayDeque<>();
    Deque<List<Node>> bodies = new ArrayDeque<>();
    bodies.push(new ArrayList<>());
    Matcher m = TAG.matcher(template);
    int at = 0;
    while (m.find()) {
      // A section tag alone on its line takes the line with it (as in mustache), so an absent optional block leaves
      // no stray blank lines in the prompt.
      int textEnd = m.start();
      int next = m.end();
      if (!m.group(1).isEmpty()) {
        int lineStart = template.lastIndexOf('\n', m.start() - 1) + 1;
        int lineEnd = template.indexOf('\n', m.end());
        lineEnd = lineEnd < 0 ? template.length() : lineEnd;
        if (lineStart >= at
            && template.substring(lineStart, m.start()).isBlank()
            && template.substring(m.end(), lineEnd).isBlank()) {
          textEnd = lineStart;
          next = lineEnd < template.length() ? lineEnd + 1 : lineEnd;
        }
      }
      if (textEnd > at) {
        bodies.peek().add(new Text(template.substring(at, textEnd)));
      }
      at = next;
      String tag = m.group();
      String name = m.group(2);
      if (!NAME.matcher(name).matches()) {
        throw new SyntaxException(tag, "malformed placeholder " + tag + " (names are lower_snake_case)");
      }
      switch (m.group(1)) {
        case "#" -> {
          for (Section s : open) {
            if (s.name().equals(name)) {
              throw new SyntaxException(tag, "section " + tag + " opened again inside itself");
            }
          }
          Section s = new Section(name, tag, new ArrayList<>());
          bodies.peek().add(s);
          open.push(s);
          bodies.push(s.body());
        }
        case "/" -> {
          if (open.isEmpty() || !open.peek().name().equals(name)) {
            String expected = open.isEmpty() ? "no open section" : "{{/" + open.peek().name() + "}} first";
            throw new SyntaxException(tag, "unexpected " + tag + ": " + expected);
          }
          open.pop();
          bodies.pop();
        }
        default -> bodies.peek().add(new Var(name, tag));
      }
    }
    if (!open.isEmpty()) {
      Section s = open.peek();
      throw new SyntaxException(s.tag(), "section " + s.tag() + " is never closed with {{/" + s.name() + "}}");
    }
    if (at < template.length()) {
      bodies.peek().add(new Text(template.substring(at)));
    }
    String rest = TAG.matcher(template).replaceAll("");
    // A stray "}}" is left alone: it is ordinary in a JSON example ({"a": {"b": 1}}); a stray "{{" is a typo.
    if (rest.contains("{{")) {
      throw new SyntaxException("{{", "'{{' that does not start a placeholder");
    }
    return List.copyOf(bodies.pop());
  }

  /** Every variable name the template mentions, placeholders and sections alike. */
  static Set<String> names(List<Node> nodes) {
    Set<String> out = new TreeSet<>();
    collect(nodes, out, true);
    return out;
  }

  /** Variables that must always be given: those used outside any section. */
  static Set<String> requiredNames(List<Node> nodes) {
    Set<String> out = new TreeSet<>();
    collect(nodes, out, false);
    return out;
  }

  private static void collect(List<Node> nodes, Set<String> out, boolean intoSections) {
    for (Node n : nodes) {
      if (n instanceof Var v) {
        out.add(v.name());
      } else if (n instanceof Section s) {
        if (intoSections) {
          out.add(s.name());
          collect(s.body(), out, true);
        }
      }
    }
  }

  /**
   * Renders {@code nodes} with {@code values}; {@code escape} is applied to every inserted value and
   * {@code onMissing} is called (and must throw) for a placeholder with no value.
   */
  static String render(
      List<Node> nodes, Map<String, String> values, Function<String, String> escape, Function<Var, RuntimeException> onMissing) {
    StringBuilder sb = new StringBuilder();
    render(nodes, values, escape, onMissing, sb);
    return sb.toString();
  }

  private static void render(
      List<Node> nodes,
      Map<String, String> values,
      Function<String, String> escape,
      Function<Var, RuntimeException> onMissing,
      StringBuilder sb) {
    for (Node n : nodes) {
      if (n instanceof Text t) {
        sb.append(t.text());
      } else if (n instanceof Var v) {
        String value = values.get(v.name());
        if (value == null) {
          throw onMissing.apply(v);
        }
        sb.append(escape.apply(value));
      } else if (n instanceof Section s) {
        String value = values.get(s.name());
        if (value != null && !value.isBlank()) {
          render(s.body(), values, escape, onMissing, sb);
        }
      }
    }
  }
}
