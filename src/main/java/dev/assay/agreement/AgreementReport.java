package dev.assay.agreement;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.assay.io.InputException;
import java.util.List;
import java.util.Objects;

/**
 * Agreement statistics of one ratings file: among all raters, between two groups of raters, and for every pair of
 * raters; every ratio with the counts it was computed from.
 *
 * <p><b>Among all raters</b> ({@link AllRaters}): percent agreement over every pair of votes within an item (an item
 * with m votes gives m(m-1)/2 pairs); Fleiss' kappa when every item has the same number of votes (it is undefined
 * otherwise, and says why); Krippendorff's alpha at the chosen level, which allows missing votes.
 *
 * <p><b>Between groups</b> ({@link GroupComparison}): raters are split by two name patterns; on each item, every
 * pair of votes with one vote from each group counts once (2 raters in A and 3 in B who all rated an item give 6
 * pairs). Over these pairs: percent agreement, Cohen's kappa unweighted, and from the ordinal level up weighted
 * linearly and quadratically (by category position at the ordinal level, by value distance at interval and ratio),
 * Kendall's tau-b and Spearman's rho; Pearson's r from the interval level up.
 *
 * <p><b>Per pair of raters</b> ({@link RaterPair}): the same comparison for every two individual raters over the
 * items both rated, when there are at most {@link AgreementOptions#maxMatrixRaters()} raters.
 *
 * <p><b>Labels.</b> Labels compare as numbers when every remaining label is numeric, else as text (see {@link
 * Label}); the categories are the distinct labels in order (by value, by text, or as given in {@link
 * AgreementOptions#order()}, which may name unused categories: they count for position-weighted kappa).
 *
 * <p><b>Undefined values.</b> A statistic that is undefined on the data (kappa when both raters used one category,
 * a correlation with a constant side, anything over zero pairs) is null, never 0 or 1; in JSON it is written as
 * {@code null}. A figure that does not apply at the chosen level (weighted kappa, correlations at the nominal level)
 * is absent.
 *
 * <p>Failure modes of {@link #compute}: {@link InputException} naming file, line and field for data that does not
 * fit the options (a text label at the ordinal level without an order, a label missing from the order, a negative
 * label at the ratio level), naming the file and both lines for a rater who rated an item twice (among the raters
 * the rater filter keeps; unless {@link AgreementOptions#duplicates()} keeps the last vote), and naming the file for a
 * pattern that selects no rater, a rater in both groups, or no vote left after exclusions.
 *
 * @param source the file the ratings came from
 * @param where the row filter's conditions ({@code FIELD=VALUE}, all of which held for every row read); null when
 *     every row was read
 * @param mapLabels the label rules ({@code PATTERN=LABEL}, see {@link LabelMap}) applied as the file was read, before
 *     everything else here (leaving out labels, the label order, categories); null when labels are as read
 * @param level the level of measurement used
 * @param numericLabels true when labels were compared as numbers
 * @param categories the categories in scale order, as text
 * @param counts how many votes, items and raters were read and used
 * @param exclusion what leaving out labels removed; null when no label was left out
 * @param allRaters statistics among all raters
 * @param groups the between-groups comparison; null when no groups were given
 * @param raterPairs one entry per pair of raters, sorted by name; null when there are too many raters
 * @param notes why something was not computed, and other things a reader should know
 */
public record AgreementReport(
    String source,
    List<String> where,
    List<String> mapLabels,
    MeasurementLevel level,
    boolean numericLabels,
    List<String> categories,
    Counts counts,
    Exclusion exclusion,
    AllRaters allRaters,
    GroupComparison groups,
    List<RaterPair> raterPairs,
    List<String> notes) {
  public AgreementReport {
    Objects.requireNonNull(source, "source");
    where = where == null ? null : List.copyOf(where);
    mapLabels = mapLabels == null ? null : List.copyOf(mapLabels);
    Objects.requireNonNull(level, "level");
    categories = List.copyOf(categories);
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(allRaters, "allRaters");
    raterPairs = raterPairs == null ? null : List.copyOf(raterPairs);
    notes = List.copyOf(notes);
  }

  /** Computes the report of {@code ratings} as {@code options} say. */
  public static AgreementReport compute(Ratings ratings, AgreementOptions options) {
    return new ReportBuilder(ratings, options).build();
  }

  /**
   * How much data there was and how much was used.
   *
   * @param rowsLeftOut rows of the file the row filter left out (elements of an imported file)
   * @param labelsMapped votes read whose label a {@code mapLabels} rule gave
   * @param votesRead votes in the rows read, a rater's repeated votes included
   * @param itemsRead distinct items in the file
   * @param ratersRead distinct raters in the file
   * @param duplicatesReplaced votes replaced by a later vote of the same rater on the same item, among the raters
   *     used (a repeat by a rater the rater filter leaves out is neither an error nor counted)
   * @param votes votes used (after the rater filter, repeats and exclusions)
   * @param items items with at least one vote used
   * @param raters raters with at least one vote used
   * @param pairableItems items with at least two votes used (only these can show agreement)
   */
  public record Counts(
      long rowsLeftOut,
      long labelsMapped,
      long votesRead,
      long itemsRead,
      long ratersRead,
      long duplicatesReplaced,
      long votes,
      long items,
      long raters,
      long pairableItems) {}

  /**
   * What leaving out labels removed.
   *
   * @param labels the labels left out
   * @param scope vote or item
   * @param votes votes removed (with the item scope, also the other votes on those items)
   * @param itemsAffected items that lost at least one vote
   * @param itemsDropped items that lost every vote
   */
  public record Exclusion(List<String> labels, ExcludeScope scope, long votes, long itemsAffected, long itemsDropped) {
    public Exclusion {
      labels = List.copyOf(labels);
    }
  }

  /**
   * Agreement among all raters.
   *
   * @param percentAgreement agreeing pairs of votes within items, over all such pairs
   * @param fleissKappa Fleiss' kappa (nominal), or the reason it is undefined
   * @param krippendorffAlpha Krippendorff's alpha at the report's level
   */
  public record AllRaters(PercentFigure percentAgreement, FleissFigure fleissKappa, AlphaFigure krippendorffAlpha) {}

  /**
   * Raw agreement with its counts.
   *
   * @param agreeing pairs of votes with equal labels
   * @param pairs pairs of votes compared
   * @param ratio {@code agreeing / pairs}; null when there are no pairs
   * @param items items that gave at least one pair
   */
  public record PercentFigure(long agreeing, long pairs, @JsonInclude(ALWAYS) Double ratio, long items) {}

  /**
   * Fleiss' kappa over items that all have the same number of votes.
   *
   * @param kappa the statistic; null when undefined (see {@code note})
   * @param observed mean agreement within items
   * @param expected chance agreement from the pooled category shares
   * @param items items used
   * @param votesPerItem votes on every item; null when items differ
   * @param categories categories in the table
   * @param note why kappa is null, when it is
   */
  public record FleissFigure(
      @JsonInclude(ALWAYS) Double kappa,
      @JsonInclude(ALWAYS) Double observed,
      @JsonInclude(ALWAYS) Double expected,
      long items,
      @JsonInclude(ALWAYS) Integer votesPerItem,
      int categories,
      String note) {}

  /**
   * Krippendorff's alpha.
   *
   * @param alpha the statistic; null when undefined (see {@code note})
   * @param level the metric used
   * @param observedDisagreement D_o
   * @param expectedDisagreement D_e
   * @param pairableItems items with at least two votes (the only ones alpha uses)
   * @param pairableVotes votes on those items
   * @param note why alpha is null, when it is
   */
  public record AlphaFigure(
      @JsonInclude(ALWAYS) Double alpha,
      MeasurementLevel level,
      @JsonInclude(ALWAYS) Double observedDisagreement,
      @JsonInclude(ALWAYS) Double expectedDisagreement,
      long pairableItems,
      long pairableVotes,
      String note) {}

  /**
   * Raters selected by a pattern.
   *
   * @param pattern the pattern as given
   * @param raters the raters it selected, sorted
   * @param votes their votes
   */
  public record Group(String pattern, List<String> raters, long votes) {
    public Group {
      raters = List.copyOf(raters);
    }
  }

  /**
   * Group A against group B: every pair of votes on one item, one vote from each group.
   *
   * @param a group A (its votes are the first rater of Cohen's kappa's table)
   * @param b group B
   * @param comparison the statistics over those pairs
   */
  public record GroupComparison(Group a, Group b, Comparison comparison) {}

  /**
   * Two individual raters over the items both rated.
   *
   * @param raterA the first by name
   * @param raterB the second
   * @param comparison the statistics over their common items
   */
  public record RaterPair(String raterA, String raterB, Comparison comparison) {}

  /**
   * Two-sided statistics over pairs of votes.
   *
   * @param items items that gave at least one pair
   * @param pairs pairs of votes compared
   * @param agreeing pairs with equal labels
   * @param percentAgreement {@code agreeing / pairs}; null with no pairs
   * @param cohenKappa unweighted Cohen's kappa
   * @param cohenKappaLinear linearly weighted kappa (ordinal level and up; absent below)
   * @param cohenKappaQuadratic quadratically weighted kappa (ordinal level and up)
   * @param kendallTauB Kendall's tau-b (ordinal level and up)
   * @param spearman Spearman's rho (ordinal level and up)
   * @param pearson Pearson's r (interval level and up)
   */
  public record Comparison(
      long items,
      long pairs,
      long agreeing,
      @JsonInclude(ALWAYS) Double percentAgreement,
      KappaFigure cohenKappa,
      KappaFigure cohenKappaLinear,
      KappaFigure cohenKappaQuadratic,
      CorrelationFigure kendallTauB,
      CorrelationFigure spearman,
      CorrelationFigure pearson) {}

  /**
   * One Cohen's kappa.
   *
   * @param weighting {@code unweighted}, {@code linear}, {@code quadratic} (by category position), {@code
   *     linear-by-value} or {@code quadratic-by-value}
   * @param kappa the statistic; null when undefined (chance agreement 1, or no pairs)
   * @param observed observed (weighted) agreement
   * @param expected chance (weighted) agreement
   * @param standardError asymptotic standard error (Fleiss, Cohen and Everitt 1969)
   * @param categories categories of the table (the whole scale)
   */
  public record KappaFigure(
      String weighting,
      @JsonInclude(ALWAYS) Double kappa,
      @JsonInclude(ALWAYS) Double observed,
      @JsonInclude(ALWAYS) Double expected,
      @JsonInclude(ALWAYS) Double standardError,
      int categories) {}

  /**
   * One correlation coefficient.
   *
   * @param coefficient tau-b, rho or r; null when undefined (a constant side, or no pairs)
   * @param pValue two-sided p of no association; null when undefined
   * @param n pairs used
   */
  public record CorrelationFigure(
      @JsonInclude(ALWAYS) Double coefficient, @JsonInclude(ALWAYS) Double pValue, long n) {}
}
