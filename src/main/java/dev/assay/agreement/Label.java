package dev.assay.agreement;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A label as read from a file: its text and, when it reads as a decimal number, its value.
 *
 * <p>Labels may be strings or numbers in the same file. Whether they are compared as numbers or as text is decided
 * for the whole set of ratings (see {@link AgreementReport}): as numbers when every label is numeric, so that
 * {@code 1}, {@code 1.0} and {@code "1"} are one category; as text otherwise. A JSON number's text is its shortest
 * plain decimal form ({@code 1.0} reads as {@code "1"}), so JSON numbers also agree with equal strings when labels are
 * compared as text.
 *
 * @param text the label as text; never blank
 * @param number the finite value when the text is a decimal number ({@code -1}, {@code 2.5}, {@code 1e3}), else null
 */
public record Label(String text, Double number) {
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  public Label {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("a label cannot be blank");
    }
    if (number != null && !Double.isFinite(number)) {
      throw new IllegalArgumentException("label value must be finite: " + number);
    }
    if (number != null) {
      number = number + 0.0; // -0.0 and 0.0 are one category
    }
  }

  /** A label from text (a CSV cell, a JSON string); numeric when the stripped text is a finite decimal number. */
  public static Label of(String text) {
    return new Label(text, parseNumber(text));
  }

  /** A label from a JSON number; its text is the shortest plain decimal form ({@code 2.50} → {@code "2.5"}). */
  public static Label of(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    String text = stripped.signum() == 0 ? "0" : stripped.toPlainString();
    return new Label(text, value.doubleValue());
  }

  /** True when this is a number. */
  public boolean isNumeric() {
    return number != null;
  }

  /**
   * True when {@code value} names this label: the same text, or both numbers with the same value ({@code "1.0"}
   * names the label {@code 1}). Used for excluding a label and for placing labels in a given order.
   */
  public boolean matches(String value) {
    if (text.equals(value)) {
      return true;
    }
    Double other = parseNumber(value);
    return number != null && other != null && other + 0.0 == number;
  }

  /** The value of {@code text} as a finite decimal number, or null. */
  static Double parseNumber(String text) {
    String s = text.strip();
    if (!DECIMAL.matcher(s).matches()) {
      return null;
    }
    double v = Double.parseDouble(s);
    return Double.isFinite(v) ? v : null;
  }

  @Override
  public String toString() {
    return text;
  }
}
