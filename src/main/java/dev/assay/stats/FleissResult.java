package dev.assay.stats;

/**
 * Fleiss' kappa for a fixed number of raters per subject, with Randolph's free-marginal kappa beside it.
 *
 * <p>{@code kappa = (observed - expected) / (1 - expected)} with {@code observed} the mean over subjects of the
 * share of agreeing rater pairs, and {@code expected = Σ_j p_j²} from the pooled category shares. Randolph's kappa
 * replaces {@code expected} by {@code 1/categories} (chance as if every category were equally likely), which stays
 * meaningful when one category dominates and Fleiss' kappa collapses.
 *
 * @param kappa Fleiss' kappa; NaN when every rating falls in one category (expected agreement 1)
 * @param observed mean per-subject pairwise agreement P̄
 * @param expected chance agreement P̄e = Σ p_j²
 * @param randolphKappa free-marginal kappa {@code (P̄ - 1/k) / (1 - 1/k)}; NaN when k = 1
 * @param subjects number of subjects (rows)
 * @param ratersPerSubject ratings per subject (may be fractional for weighted count tables)
 * @param categories number of categories k (columns, including unused ones given by the caller)
 * @param standardErrorNull Fleiss (1971) standard error under kappa = 0, as R irr::kappam.fleiss uses for z
 */
public record FleissResult(
    double kappa,
    double observed,
    double expected,
    double randolphKappa,
    long subjects,
    double ratersPerSubject,
    int categories,
    double standardErrorNull) {

  /** {@code kappa / standardErrorNull}. */
  public double z() {
    return kappa / standardErrorNull;
  }

  /** 2 P(Z > |z|). */
  public double pValueTwoSided() {
    return Distributions.normalTwoSided(z());
  }
}
