package dev.assay.stats;

/**
 * Cohen's kappa for two raters, with what it was computed from.
 *
 * <p>{@code kappa = (observed - expected) / (1 - expected)}; for weighted kappa {@code observed} and {@code
 * expected} are the weighted agreements {@code Σ w·p} with agreement weights {@code w = 1 - d} (d scaled to max 1).
 * Standard errors are the large-sample ones of Fleiss, Cohen and Everitt (1969), as SAS PROC FREQ and statsmodels
 * print them: {@code standardError} for confidence intervals, {@code standardErrorNull} (under kappa = 0) for the z
 * test.
 *
 * @param kappa the statistic; NaN when {@code expected} is 1 (both raters used one category only)
 * @param observed observed (weighted) agreement, a proportion
 * @param expected chance (weighted) agreement from the two raters' marginals
 * @param items rated items (the table total)
 * @param agreeing items with exactly equal labels (the diagonal), whatever the weighting
 * @param categories number of categories in the table (rows)
 * @param weighting {@link KappaWeights#name()} of the weights used
 * @param standardError asymptotic standard error of kappa
 * @param standardErrorNull asymptotic standard error under the null hypothesis kappa = 0
 */
public record KappaResult(
    double kappa,
    double observed,
    double expected,
    long items,
    long agreeing,
    int categories,
    String weighting,
    double standardError,
    double standardErrorNull) {

  /** Raw agreement {@code agreeing / items} as counts. */
  public AgreementResult percentAgreement() {
    return new AgreementResult(agreeing, items);
  }

  /** {@code kappa / standardErrorNull}. */
  public double z() {
    return kappa / standardErrorNull;
  }

  /** P(Z > z): the one-sided p-value against kappa <= 0. */
  public double pValueOneSided() {
    return Distributions.normalSf(z());
  }

  /** 2 P(Z > |z|). */
  public double pValueTwoSided() {
    return Distributions.normalTwoSided(z());
  }

  /** {@code kappa ± z_{(1+level)/2} · standardError} (Wald interval, as SAS prints). */
  public ConfidenceInterval confidenceInterval(double level) {
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1): " + level);
    }
    double half = Distributions.normalQuantile((1 + level) / 2) * standardError;
    return new ConfidenceInterval(kappa - half, kappa + half, level);
  }
}
