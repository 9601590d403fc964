package dev.assay.pipeline;

import dev.assay.judging.JudgeSpec;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.rewards.RewardModelSpec;

/**
 * The size of a run, computed from its checked inputs before any model is called: what the progress line counts
 * down and what the {@code auto} runner choice is made on.
 *
 * @param generations responses to generate (prompts x k), 0 when candidates are given
 * @param candidates candidates the judges will see
 * @param orderedPairs ordered candidate pairs of one prompt, summed over prompts (what a pairwise judge sees)
 * @param importedJudgments judgments that came with the input
 */
record Workload(long generations, long candidates, long orderedPairs, long importedJudgments) {
  static Workload of(Recipe recipe, RunInputs inputs) {
    if (recipe.generation() != null) {
      long k = recipe.generation().k();
      long prompts = inputs.prompts().count();
      return new Workload(prompts * k, prompts * k, prompts * k * (k - 1), inputs.judgments().count());
    }
    long orderedPairs = inputs.candidatesPerPrompt().values().stream().mapToLong(k -> k * (k - 1)).sum();
    return new Workload(0, inputs.candidates().count(), orderedPairs, inputs.judgments().count());
  }

  /** Judgments the run will hold: the imported ones and every sample each configured judge is asked for. */
  long judgments(Recipe recipe) {
    return importedJudgments + judgeSamples(recipe, false);
  }

  /**
   * The model calls the run is expected to make, approximately (the progress line's total): the generations, every
   * judge sample, and per implicit reward model two log-prob calls per candidate (policy and reference). Retries,
   * revisions of adapted references and the meta-judge pass (which shows a line of its own, once the main pass has
   * published the judgments it grades) are not counted, so the real count can differ.
   */
  long requests(Recipe recipe) {
    long total = generations + judgeSamples(recipe, true);
    for (var rm : recipe.rewardModels()) {
      if (rm instanceof RewardModelSpec.Implicit) {
        total += 2 * candidates;
      }
    }
    return total;
  }

  /**
   * Per absolute judge candidates x n, per pairwise judge ordered pairs x n. A meta-judge ({@code tie_break:
   * meta-judge}) is left out: it grades judgments in a pass of its own, not the candidates. Samples, or with
   * {@code requests} the requests they take (one per item and round with {@code n_per_request}); an adaptive judge
   * counts at {@code n_max}.
   */
  private long judgeSamples(Recipe recipe, boolean requests) {
    String meta = recipe.rationalization() == null ? null : recipe.rationalization().metaJudgeName();
    long total = 0;
    for (JudgeSpec j : recipe.judges()) {
      if (j.name().equals(meta)) {
        continue;
      }
      total += (j.kind().equals("pairwise") ? orderedPairs : candidates) * (requests ? JudgeSampling.maxRequests(j) : JudgeSampling.maxSamples(j));
    }
    return total;
  }
}

