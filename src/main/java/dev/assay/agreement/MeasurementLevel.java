package dev.assay.agreement;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.assay.stats.KrippendorffAlpha;
import java.util.Locale;

/**
 * The level of measurement of the labels, which decides which statistics are meaningful and how far apart two
 * labels are.
 *
 * <ul>
 *   <li>{@link #NOMINAL}: labels are names (tie, A, B). Unweighted kappa, nominal alpha; no correlations.
 *   <li>{@link #ORDINAL}: labels are ordered (numbers, or text put in order by the caller). Adds kappa weighted by
 *       category position (linear, quadratic), ordinal alpha, Kendall's tau-b and Spearman's rho.
 *   <li>{@link #INTERVAL}: differences of numeric labels are meaningful. Kappa weighted by value distance, interval
 *       alpha, and Pearson's r as well.
 *   <li>{@link #RATIO}: as interval, with a true zero; ratio alpha. Labels must be non-negative numbers.
 * </ul>
 */
public enum MeasurementLevel {
  NOMINAL(KrippendorffAlpha.Level.NOMINAL),
  ORDINAL(KrippendorffAlpha.Level.ORDINAL),
  INTERVAL(KrippendorffAlpha.Level.INTERVAL),
  RATIO(KrippendorffAlpha.Level.RATIO);

  private final KrippendorffAlpha.Level alphaLevel;

  MeasurementLevel(KrippendorffAlpha.Level alphaLevel) {
    this.alphaLevel = alphaLevel;
  }

  /** The metric Krippendorff's alpha uses at this level. */
  public KrippendorffAlpha.Level alphaLevel() {
    return alphaLevel;
  }

  /** True from {@link #ORDINAL} up: labels have an order. */
  public boolean isOrdered() {
    return this != NOMINAL;
  }

  /** True for {@link #INTERVAL} and {@link #RATIO}: labels must be numbers and their differences count. */
  public boolean isMetric() {
    return this == INTERVAL || this == RATIO;
  }

  /** The lower-case name used on the command line and in JSON. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The level named {@code name}, case-insensitively.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static MeasurementLevel parse(String name) {
    for (MeasurementLevel level : values()) {
      if (level.id().equalsIgnoreCase(name.strip())) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "unknown level '" + name + "' (expected nominal, ordinal, interval or ratio)");
  }
}
