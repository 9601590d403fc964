package dev.assay.rewards;

import java.util.Objects;

/**
 * What {@link LengthBiasProbe#measure} found: how much of one absolute judge's score variance response length alone
 * explains.
 *
 * @param judge the judge measured
 * @param judgments judgments given
 * @param used ok judgments whose candidate was found: the regression's points
 * @param notOk judgments without a score (skipped)
 * @param withoutCandidate ok judgments whose candidate was not in the candidate list (skipped)
 * @param rSquared R² of the least-squares line score ~ a + b words; NaN when it cannot be measured
 * @param pValue two-sided p of no linear association (Student's t on Pearson's r); NaN when unmeasurable
 * @param slopePer100Words b x 100: score points per 100 words; NaN when it cannot be measured
 * @param intercept a; NaN when it cannot be measured
 * @param spearman Spearman's rho of words and score (ties averaged); NaN when either side is constant
 * @param threshold the R² at and above which the judge is called length-biased
 * @param biased whether {@code rSquared >= threshold} with {@code pValue} below {@link LengthBiasProbe#SIGNIFICANCE}
 * @param verdict the finding in plain words
 */
public record LengthBias(
    String judge,
    long judgments,
    long used,
    long notOk,
    long withoutCandidate,
    double rSquared,
    double pValue,
    double slopePer100Words,
    double intercept,
    double spearman,
    double threshold,
    boolean biased,
    String verdict) {
  public LengthBias {
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(verdict, "verdict");
    if (used + notOk + withoutCandidate != judgments) {
      throw new IllegalArgumentException("used + notOk + withoutCandidate must equal judgments");
    }
  }
}
