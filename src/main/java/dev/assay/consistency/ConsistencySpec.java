package dev.assay.consistency;

import java.util.Objects;

/**
 * The consistency stage of a recipe ({@code consistency:}): which rewards to compare with which, and whether to
 * report or also filter.
 *
 * <p>The previous iteration's ranking comes from exactly one of two places: {@code previous}, the run directory of
 * the previous iteration, whose rewards of the same reward model ({@code reward_model}) rank the same candidates
 * (this requires that both iterations scored the same candidate ids, as in a fixed probe set), or {@code
 * previous_judge}, a judge of this run that is served by the previous model; the rewards of its judgments (the mean
 * of the ok scores per candidate) are the previous ranking. CREAM does the latter: the previous model re-judges the
 * current responses.
 *
 * <p>Defaults: mode {@code report}, threshold 0.5 (tau-b 0: keep prompts on which the two iterations are at least
 * not anti-correlated), undefined prompts rejected in filter mode. A prompt is rejected when {@code C(x) <
 * threshold}; a prompt exactly at the threshold is kept.
 *
 * @param rewardModel the reward model (in {@code reward_models:}) whose rewards rank the current iteration
 * @param previous a run directory of the previous iteration; exclusive with {@code previousJudge}
 * @param previousJudge a judge of this run that judges with the previous model; exclusive with {@code previous}
 * @param mode {@code report} (measure, keep everything) or {@code filter} (drop prompts below the threshold)
 * @param threshold in [0, 1]
 * @param keepUndefined in filter mode, whether prompts whose C(x) is undefined are kept (default false: what cannot
 *     be measured is not shown to be consistent)
 */
public record ConsistencySpec(
    String rewardModel, String previous, String previousJudge, String mode, Double threshold, Boolean keepUndefined)
    implements java.io.Serializable {
  public static final String REPORT = "report";
  public static final String FILTER = "filter";

  public ConsistencySpec {
    Objects.requireNonNull(rewardModel, "reward_model");
    if ((previous == null) == (previousJudge == null)) {
      throw new IllegalArgumentException(
          "previous: give exactly one of previous (the previous iteration's run directory) and previous_judge (a"
              + " judge of this run served by the previous model)");
    }
    mode = mode == null ? REPORT : mode;
    if (!mode.equals(REPORT) && !mode.equals(FILTER)) {
      throw new IllegalArgumentException("mode must be report or filter: " + mode);
    }
    threshold = threshold == null ? 0.5 : threshold;
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1]: " + threshold);
    }
    keepUndefined = keepUndefined == null ? Boolean.FALSE : keepUndefined;
  }

  /** Whether prompts below the threshold are dropped. */
  public boolean filters() {
    return mode.equals(FILTER);
  }
}
