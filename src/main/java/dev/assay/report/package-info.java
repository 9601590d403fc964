/**
 * {@code report.html}: what a run (or a series of iterations) did, as charts and tables a person would rather look at
 * than read. {@link dev.assay.report.ReportWriter} reads a run directory's manifest and stage outputs and writes one
 * self-contained page: inline CSS and SVG drawn here, no script and no network, so it opens from disk anywhere and can
 * be archived with the run.
 */
package dev.assay.report;
