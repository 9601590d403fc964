package dev.assay.pipeline;

import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgeSpec;
import dev.assay.judging.JudgmentStatus;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.rewards.RewardModelSpec;
import java.util.Map;

/**
 * How many samples a judge of a recipe asks for, where that is decided by the run (adaptive sampling) rather than
 * fixed by {@code n}: the margin and the ranking an adaptive judge's stopping rule watches, the run's expected sample count, and the
 * accounting's {@code in}. Kept apart from {@link RecipeRunner} so the runner only calls it.
 */
final class JudgeSampling {
  private JudgeSampling() {}

  /**
   * The consensus's primary margin {@code m0} when this judge's scores are the primary reward (a {@code judge}
   * reward model reading this judge is the consensus primary), else null: rule 3 of the stopping rule then has no
   * margin to watch.
   */
  static Double margin(Recipe recipe, JudgeDefinition judge) {
    if (judge.adaptive() == null || recipe.consensus() == null) {
      return null;
    }
    for (RewardModelSpec rm : recipe.rewardModels()) {
      if (rm instanceof RewardModelSpec.Judge j && j.judge().equals(judge.name()) && rm.name().equals(recipe.consensus().primary())) {
        return recipe.consensus().m0();
      }
    }
    return null;
  }

  /**
   * Whether an adaptive judge's whole ranking feeds the consistency filter (rule 5 of the stopping rule): the
   * consistency is in {@code filter} mode and this judge is its {@code previous_judge}, or a {@code judge} reward
   * model reading this judge is its {@code reward_model}. In {@code report} mode no decision reads the ranking, so
   * the rule does not pay for it.
   */
  static boolean ranking(Recipe recipe, JudgeDefinition judge) {
    var cs = recipe.consistency();
    if (judge.adaptive() == null || cs == null || !cs.filters()) {
      return false;
    }
    if (judge.name().equals(cs.previousJudge())) {
      return true;
    }
    for (RewardModelSpec rm : recipe.rewardModels()) {
      if (rm instanceof RewardModelSpec.Judge j && j.judge().equals(judge.name()) && rm.name().equals(cs.rewardModel())) {
        return true;
      }
    }
    return false;
  }

  /** Samples per item a judge may ask for at most: {@code n}, or {@code adaptive.n_max}. */
  static long maxSamples(JudgeSpec spec) {
    return spec.adaptive() == null ? spec.n() : spec.adaptive().nMax();
  }

  /**
   * Requests per item a judge may send at most: one per sample, or with {@code n_per_request} one per round (one for
   * a fixed {@code n}).
   */
  static long maxRequests(JudgeSpec spec) {
    if (!spec.nPerRequest()) {
      return maxSamples(spec);
    }
    return spec.adaptive() == null ? 1 : 1 + spec.adaptive().rounds();
  }

  /**
   * The judge stage's {@code in}: items x {@code n} for a fixed judge (computed from the inputs, independently of the
   * pipeline). For an adaptive judge the samples asked depend on the answers, so {@code in} is what it published:
   * its judgments of every status plus the calls the budget cap refused (which have a failure record and no
   * judgment); that the right samples were asked is checked by replaying the rule ({@code AdaptiveSamplingRunTest}).
   */
  static long in(JudgeDefinition judge, long items, Map<JudgmentStatus, Long> statuses, long budgetRefused) {
    if (judge.adaptive() == null) {
      return items * judge.n();
    }
    return statuses.values().stream().mapToLong(Long::longValue).sum() + budgetRefused;
  }
}
