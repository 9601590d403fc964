/**
 * Agreement statistics between raters and judges, in pure Java: percent agreement, Cohen's kappa (unweighted,
 * linear, quadratic, custom weights), Fleiss' kappa (with Randolph's free-marginal kappa), Krippendorff's alpha
 * (nominal, ordinal, interval, ratio, missing values allowed), Kendall's tau-b and tau-c, Spearman's rho and
 * Pearson's r.
 *
 * <p>Every result is a record that carries the counts beside its ratios (items, agreeing items, pairs, pairable
 * values), so a report can say "0.85 over 999 items" rather than a bare number: high agreement over few items, or
 * high percent agreement with a kappa near zero, must be visible.
 *
 * <p>Conventions shared by all classes, chosen to match the reference implementations the tests check against
 * (scikit-learn, statsmodels, scipy, R irr, fast-krippendorff; see {@code data/stat-reference-values/}):
 *
 * <ul>
 *   <li><b>Empty input</b> (no items, no pairable values) throws {@link java.lang.IllegalArgumentException}: there is
 *       nothing to measure, and that is a caller's bug more often than a fact to report.
 *   <li><b>Mismatched lengths</b>, null arrays, NaN ratings where a rating is required, negative counts: {@link
 *       java.lang.IllegalArgumentException} (null arrays: {@link java.lang.NullPointerException}).
 *   <li><b>Undefined statistics</b> on non-empty input (no variation: kappa when chance agreement is 1, tau or rho
 *       when one side is constant, alpha when all pairable values are equal) are {@link java.lang.Double#NaN}, as
 *       scipy, scikit-learn and statsmodels return; never 0 and never 1, which would read as a measurement.
 *   <li>Categories of raw ratings are the sorted union of the values both raters used, unless the caller passes the
 *       category list; weighted kappa weights are over the category <em>index</em> unless a {@code ByValue}
 *       weighting is chosen (see {@link dev.assay.stats.KappaWeights}).
 * </ul>
 *
 * <p>Kendall's tau runs in O(n log n) (Knight's merge-sort algorithm); the others are O(n) or O(n log n) in the
 * number of ratings plus O(k²) in the number of categories.
 */
package dev.assay.stats;
