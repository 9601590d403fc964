/**
 * Agreement statistics on ratings in long format (one vote per row: item, rater, label), from JSONL, CSV or a
 * published judgment file ({@link dev.assay.agreement.ImportFormat}).
 *
 * <p>{@link dev.assay.agreement.LongFormatReader} reads a file strictly into {@link dev.assay.agreement.Ratings},
 * keeping the rows a {@link dev.assay.agreement.RowFilter} selects and renaming labels as a {@link
 * dev.assay.agreement.LabelMap} says;
 * {@link dev.assay.agreement.AgreementReport#compute} measures agreement among all raters, between two groups of
 * raters chosen by name pattern, and per pair of raters, with the counts beside every ratio; {@link
 * dev.assay.agreement.AgreementReportText} renders it for a person. The statistics themselves are {@code
 * dev.assay.stats}; this package decides which votes are compared with which.
 */
package dev.assay.agreement;
