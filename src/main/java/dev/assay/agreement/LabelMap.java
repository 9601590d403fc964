package dev.assay.agreement;

import java.util.List;
import java.util.Objects;

/**
 * Labels renamed as they are read, before any statistic ({@code --map-label PATTERN=LABEL}, repeatable): to merge
 * variants ({@code 'tie*=tie'} makes {@code tie}, {@code tie (both good)} and {@code tie (both bad)} one category),
 * or to give a missing label a value.
 *
 * <p>PATTERN is a {@link RaterPattern}: a glob by default ({@code *}, {@code ?}, {@code [abc]}, {@code {a,b}}), or
 * {@code regex:<java regex>}, matching the whole label text. A glob also matches a numeric label of the same value
 * ({@code 1=A} maps {@code 1} and {@code 1.0}), as {@code --exclude-label} does. An <em>empty</em> PATTERN ({@code
 * =2}) matches a missing label: a JSON null, an absent label field, a blank string or an empty CSV cell, which are
 * otherwise an error. The rules are tried in the order given; the first that matches wins, and a label no rule
 * matches stays as it is. LABEL becomes a number when it reads as one ({@link Label#of(String)}).
 *
 * <p>LLMBar's own {@code kappa_agreement} counts a null winner (a verdict it could not parse) as a vote for output
 * 2; {@code --import llmbar} reads that verdict as the label {@code none}, so {@code none=2} reproduces it.
 *
 * <p>Immutable. Failure mode: {@link IllegalArgumentException} from {@link #parse} for a rule without {@code =}, with
 * an empty LABEL, or with an invalid pattern.
 */
public final class LabelMap {
  /** Maps nothing. */
  public static final LabelMap NONE = new LabelMap(List.of());

  /**
   * One rule.
   *
   * @param written the rule as given, {@code PATTERN=LABEL}
   * @param pattern the labels it matches; null for a missing label (an empty PATTERN)
   * @param to the label they become
   */
  public record Rule(String written, RaterPattern pattern, Label to) {
    public Rule {
      Objects.requireNonNull(written, "written");
      Objects.requireNonNull(to, "to");
    }

    /**
     * A rule written {@code PATTERN=LABEL}, split at the last {@code =}: a pattern may hold one (a regex's {@code
     * (?=...)}), a label cannot.
     *
     * @throws IllegalArgumentException without {@code =}, with an empty LABEL, or for an invalid pattern
     */
    public static Rule parse(String spec) {
      int eq = spec.lastIndexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("--map-label expects PATTERN=LABEL, got '" + spec + "'");
      }
      String label = spec.substring(eq + 1);
      if (label.isBlank()) {
        throw new IllegalArgumentException(
            "--map-label '" + spec + "' maps to an empty label (to leave votes out, use --exclude-label)");
      }
      String pattern = spec.substring(0, eq);
      return new Rule(spec, pattern.isEmpty() ? null : RaterPattern.parse(pattern), Label.of(label));
    }

    boolean matches(Label label) {
      if (pattern.matches(label.text())) {
        return true;
      }
      return !pattern.spec().startsWith("regex:") && label.matches(pattern.spec());
    }
  }

  private final List<Rule> rules;

  private LabelMap(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The rules written as {@code PATTERN=LABEL} each, tried in this order; an empty list maps nothing. */
  public static LabelMap parse(List<String> specs) {
    return new LabelMap(specs.stream().map(Rule::parse).toList());
  }

  /** The rules, in the order they are tried. */
  public List<Rule> rules() {
    return rules;
  }

  /** True when there is no rule. */
  public boolean mapsNothing() {
    return rules.isEmpty();
  }

  /** The rules as written, for reports. */
  public List<String> written() {
    return rules.stream().map(Rule::written).toList();
  }

  /** The label of the first rule that matches {@code label}, or null when none does. */
  Label map(Label label) {
    for (Rule r : rules) {
      if (r.pattern() != null && r.matches(label)) {
        return r.to();
      }
    }
    return null;
  }

  /** The label a missing label becomes (the first rule with an empty PATTERN), or null when there is none. */
  Label missing() {
    for (Rule r : rules) {
      if (r.pattern() == null) {
        return r.to();
      }
    }
    return null;
  }
}
