package dev.assay.run;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of one recipe gate, recorded in the manifest.
 *
 * @param gate the gate's key in {@code gates:} ({@code min_consistency}, {@code min_parse_rate}, {@code max_flip_rate},
 *     {@code min_pairs})
 * @param subject what was measured, as printed: {@code C}, {@code judge self parse rate}, {@code pairs}
 * @param actual the measured value; null when the run did not measure it (the gate then fails)
 * @param limit the threshold from the recipe
 * @param passed whether the gate held
 */
public record GateResult(String gate, String subject, Double actual, double limit, boolean passed) {
  public GateResult {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(subject, "subject");
  }

  /** Checks {@code actual >= limit} (a {@code min_} gate) or {@code actual <= limit}; a null or NaN actual fails. */
  public static GateResult check(String gate, String subject, Double actual, double limit) {
    boolean measured = actual != null && !actual.isNaN();
    boolean minimum = gate.startsWith("min_");
    boolean passed = measured && (minimum ? actual >= limit : actual <= limit);
    return new GateResult(gate, subject, measured ? actual : null, limit, passed);
  }

  /**
   * One line for the console, e.g. {@code gate min_consistency failed: C = 0.612 < 0.700 (by 0.088)}. Counts print
   * as integers.
   */
  public String line() {
    boolean count = gate.equals("min_pairs");
    String lim = format(limit, count);
    if (actual == null) {
      return "gate " + gate + " failed: " + subject + " was not measured by this run (limit " + lim + ")";
    }
    boolean minimum = gate.startsWith("min_");
    String op = passed ? (minimum ? ">=" : "<=") : (minimum ? "<" : ">");
    String head = "gate " + gate + (passed ? " passed: " : " failed: ") + subject + " = " + format(actual, count) + " " + op + " " + lim;
    return passed ? head : head + " (by " + format(Math.abs(actual - limit), count) + ")";
  }

  private static String format(double v, boolean count) {
    return count ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.3f", v);
  }
}
