package dev.assay.pipeline;

import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgeSpec;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.rewards.RewardModelSpec;
import java.util.List;
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

  /**
   * The consistency filter's two judges when both are adaptive absolute judges, {@code [current, previous]}, else
   * null: they are judged in joint rounds (rule 6 of the stopping rule), which read both rankings. The current judge
   * is the one a {@code judge} reward model named by the consistency's {@code reward_model} reads; the previous one
   * its {@code previous_judge}; only in {@code filter} mode (in {@code report} mode no decision reads C(x)).
   */
  static List<JudgeDefinition> consistencyPair(Recipe recipe, List<JudgeDefinition> judges) {
    var cs = recipe.consistency();
    if (cs == null || !cs.filters() || cs.previousJudge() == null) {
      return null;
    }
    String currentName = null;
    for (RewardModelSpec rm : recipe.rewardModels()) {
      if (rm instanceof RewardModelSpec.Judge j && rm.name().equals(cs.rewardModel())) {
        currentName = j.judge();
      }
    }
    JudgeDefinition current = find(judges, currentName);
    JudgeDefinition previous = find(judges, cs.previousJudge());
    if (current == null || previous == null || current == previous || !adaptiveAbsolute(current) || !adaptiveAbsolute(previous)) {
      return null;
    }
    return List.of(current, previous);
  }

  private static JudgeDefinition find(List<JudgeDefinition> judges, String name) {
    return name == null ? null : judges.stream().filter(j -> j.name().equals(name)).findFirst().orElse(null);
  }

  private static boolean adaptiveAbsolute(JudgeDefinition judge) {
    return judge.adaptive() != null && judge.kind() == JudgmentKind.ABSOLUTE;
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
