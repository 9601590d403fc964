package dev.assay.stats;

/**
 * A correlation coefficient with its sample size and two-sided p-value.
 *
 * @param coefficient Pearson's r or Spearman's rho, in [-1, 1]; NaN when one side is constant
 * @param n paired observations
 * @param pValue two-sided p of no correlation from Student's t with n - 2 degrees of freedom (0 when |r| = 1;
 *     NaN when the coefficient is NaN or n < 3)
 */
public record CorrelationResult(double coefficient, long n, double pValue) {}
