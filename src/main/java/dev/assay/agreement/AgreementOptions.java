package dev.assay.agreement;

import java.util.List;
import java.util.Objects;

/**
 * What {@link AgreementReport#compute} measures, and over which votes.
 *
 * <p>Start from {@link #defaults()} and change one thing at a time with the {@code with...} methods. Invalid
 * combinations fail at construction with {@link IllegalArgumentException} (a caller's mistake, found before any data
 * is read): one group without the other; an explicit label order at the interval or ratio level, where labels must
 * be numbers and an order alone says nothing about distances; a repeated label in the order; a negative matrix
 * limit.
 *
 * @param level level of measurement of the labels
 * @param excludeLabels labels to leave out (matched as {@link Label#matches} says); empty for none
 * @param excludeScope whether leaving out a label removes the vote or the whole item
 * @param raters only raters matching this take part at all; null for every rater
 * @param groupA first group of the between-groups comparison; null for no comparison
 * @param groupB second group; null exactly when {@code groupA} is
 * @param order the labels in their order, lowest first, for ordinal text labels (bad &lt; ok &lt; good); empty to
 *     order numeric labels by value (text labels are then only nominal)
 * @param maxMatrixRaters the per-pair kappa matrix is computed when there are at most this many raters
 * @param duplicates what a rater's second vote on an item is, among the raters {@code raters} selects: an error, or
 *     the vote that replaces the first
 */
public record AgreementOptions(
    MeasurementLevel level,
    List<String> excludeLabels,
    ExcludeScope excludeScope,
    RaterPattern raters,
    RaterPattern groupA,
    RaterPattern groupB,
    List<String> order,
    int maxMatrixRaters,
    Ratings.Duplicates duplicates) {
  /** The per-pair matrix limit of {@link #defaults()}: 20 raters make 190 pairs, still a readable table. */
  public static final int DEFAULT_MAX_MATRIX_RATERS = 20;

  public AgreementOptions {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(excludeScope, "excludeScope");
    Objects.requireNonNull(duplicates, "duplicates");
    excludeLabels = List.copyOf(excludeLabels);
    order = List.copyOf(order);
    if ((groupA == null) != (groupB == null)) {
      throw new IllegalArgumentException("give both groups (A and B) or neither");
    }
    if (!order.isEmpty() && level.isMetric()) {
      throw new IllegalArgumentException(
          "a label order gives ranks, not distances: the " + level.id()
              + " level needs numeric labels (use the ordinal level with an order)");
    }
    if (order.stream().distinct().count() != order.size()) {
      throw new IllegalArgumentException("a label appears twice in the order " + order);
    }
    if (maxMatrixRaters < 0) {
      throw new IllegalArgumentException("maxMatrixRaters must be >= 0: " + maxMatrixRaters);
    }
  }

  /** Nominal level, nothing excluded, every rater, no groups, no order, matrix up to 20 raters, repeats an error. */
  public static AgreementOptions defaults() {
    return new AgreementOptions(
        MeasurementLevel.NOMINAL, List.of(), ExcludeScope.VOTE, null, null, null, List.of(),
        DEFAULT_MAX_MATRIX_RATERS, Ratings.Duplicates.ERROR);
  }

  public AgreementOptions withLevel(MeasurementLevel newLevel) {
    return new AgreementOptions(
        newLevel, excludeLabels, excludeScope, raters, groupA, groupB, order, maxMatrixRaters, duplicates);
  }

  public AgreementOptions withExcluded(List<String> labels, ExcludeScope scope) {
    return new AgreementOptions(level, labels, scope, raters, groupA, groupB, order, maxMatrixRaters, duplicates);
  }

  public AgreementOptions withRaters(RaterPattern pattern) {
    return new AgreementOptions(
        level, excludeLabels, excludeScope, pattern, groupA, groupB, order, maxMatrixRaters, duplicates);
  }

  public AgreementOptions withGroups(RaterPattern a, RaterPattern b) {
    return new AgreementOptions(level, excludeLabels, excludeScope, raters, a, b, order, maxMatrixRaters, duplicates);
  }

  public AgreementOptions withOrder(List<String> labels) {
    return new AgreementOptions(
        level, excludeLabels, excludeScope, raters, groupA, groupB, labels, maxMatrixRaters, duplicates);
  }

  public AgreementOptions withMaxMatrixRaters(int max) {
    return new AgreementOptions(level, excludeLabels, excludeScope, raters, groupA, groupB, order, max, duplicates);
  }

  public AgreementOptions withDuplicates(Ratings.Duplicates handling) {
    return new AgreementOptions(
        level, excludeLabels, excludeScope, raters, groupA, groupB, order, maxMatrixRaters, handling);
  }
}
