package dev.assay.stats;

/**
 * A two-sided confidence interval.
 *
 * @param lower lower bound (NaN when the estimate or its standard error is undefined)
 * @param upper upper bound
 * @param level coverage, e.g. 0.95
 */
public record ConfidenceInterval(double lower, double upper, double level) {}
