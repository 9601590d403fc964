package dev.assay.agreement;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Selects raters by name ({@code --raters}, {@code --group-a}, {@code --group-b}), and labels by their text for
 * {@link LabelMap} ({@code --map-label}): a glob by default, or a regular expression with the prefix {@code regex:}
 * (the prefixes of {@link java.nio.file.FileSystem#getPathMatcher}; {@code glob:} may be written too). Either must
 * match the whole name.
 *
 * <p>Glob syntax: {@code *} any characters (including none, and including {@code /}: rater names are not paths),
 * {@code ?} one character, {@code [abc]} / {@code [a-z]} / {@code [!abc]} one character of (not of) a set, {@code
 * {gpt-4,claude}} one of the comma-separated alternatives (not nested), {@code \} quotes the next character.
 * Examples: {@code annotator*}, {@code {annotator1,annotator2}}, {@code regex:judge-[0-9]+}.
 *
 * <p>Immutable. Failure mode: {@link IllegalArgumentException} from {@link #parse} for an invalid regex or an
 * unclosed glob bracket or brace.
 */
public final class RaterPattern {
  private final String spec;
  private final Pattern regex;

  private RaterPattern(String spec, Pattern regex) {
    this.spec = spec;
    this.regex = regex;
  }

  /** The pattern written as {@code spec}. */
  public static RaterPattern parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    if (spec.isEmpty()) {
      throw new IllegalArgumentException("empty rater pattern");
    }
    if (spec.startsWith("regex:")) {
      try {
        return new RaterPattern(spec, Pattern.compile(spec.substring("regex:".length())));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression in rater pattern '" + spec + "': " + e.getDescription(), e);
      }
    }
    String glob = spec.startsWith("glob:") ? spec.substring("glob:".length()) : spec;
    return new RaterPattern(spec, Pattern.compile(globToRegex(glob, spec)));
  }

  /** True when the whole of {@code rater} matches. */
  public boolean matches(String rater) {
    return regex.matcher(rater).matches();
  }

  /** The pattern as written. */
  public String spec() {
    return spec;
  }

  private static String globToRegex(String glob, String spec) {
    StringBuilder re = new StringBuilder();
    boolean inBraces = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '\\' -> {
          if (++i == glob.length()) {
            throw new IllegalArgumentException("rater pattern '" + spec + "' ends with a lone backslash");
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '[' -> {
          int close = glob.indexOf(']', i + 2); // "[]...]" takes the first ']' literally, as in shells
          if (close < 0) {
            throw new IllegalArgumentException("rater pattern '" + spec + "' has an unclosed '['");
          }
          String set = glob.substring(i + 1, close);
          re.append('[');
          if (set.startsWith("!")) {
            re.append('^');
            set = set.substring(1);
          }
          for (char s : set.toCharArray()) {
            // Inside a class only '-' keeps its meaning; everything else is literal.
            re.append(s == '-' ? "-" : Character.isLetterOrDigit(s) ? String.valueOf(s) : "\\" + s);
          }
          re.append(']');
          i = close;
        }
        case '{' -> {
          if (inBraces) {
            throw new IllegalArgumentException("rater pattern '" + spec + "' nests braces");
          }
          inBraces = true;
          re.append("(?:");
        }
        case '}' -> {
          if (!inBraces) {
            re.append("\\}");
          } else {
            inBraces = false;
            re.append(')');
          }
        }
        case ',' -> re.append(inBraces ? "|" : ",");
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (inBraces) {
      throw new IllegalArgumentException("rater pattern '" + spec + "' has an unclosed '{'");
    }
    return re.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RaterPattern p && p.spec.equals(spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }

  @Override
  public String toString() {
    return spec;
  }
}
