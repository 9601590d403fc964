package dev.assay.rewards;

import dev.assay.stats.Distributions;
import java.io.Serializable;

/**
 * How a reward model that gives each candidate a number turns two defined rewards into {@code P(first better)}.
 * Serializable, because it travels inside a DoFn. Implementations must return a value in [0, 1] for finite inputs and
 * should be antisymmetric ({@code p(a, b) = 1 - p(b, a)}) so that the pair's order by id does not matter.
 */
@FunctionalInterface
public interface PreferenceRule extends Serializable {
  double probabilityFirst(double rewardFirst, double rewardSecond);

  /** 1 if the first reward is higher, 0 if lower, 0.5 if equal: for rewards that are verdicts (0/1), not measures. */
  static PreferenceRule byDifference() {
    return (a, b) -> a > b ? 1.0 : (a < b ? 0.0 : 0.5);
  }

  /**
   * {@code Phi((a - b) / (sigma sqrt 2))}: the chance that the first candidate's true label exceeds the second's when
   * each is its prediction plus independent Gaussian error of standard deviation {@code sigma} (for regression
   * rewards; sigma is the model's residual standard deviation). {@code sigma <= 0} degrades to
   * {@link #byDifference()}.
   */
  static PreferenceRule gaussian(double sigma) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      return byDifference();
    }
    double scale = sigma * Math.sqrt(2);
    return (a, b) -> Distributions.normalCdf((a - b) / scale);
  }
}
