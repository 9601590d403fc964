package dev.assay.curation.rationalization;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores the rationales of several judgments of one item that all gave the right score, so that
 * {@link TieBreak#metaJudge} can choose the best-argued one as the chosen side of a judge pair.
 *
 * <p>Contract: returns a score per judgment id, higher is better; a candidate left out, or scored NaN, ranks below
 * every scored one. Implementations are called inside a Beam DoFn, once per item, and must be serializable and
 * deterministic (a pair must not change when a bundle is retried).
 *
 * <p><b>An LLM meta-judge</b> is not called from here: the grouping step runs synchronously per shard and has no
 * ledger, rate limits, retries or budget, which {@code SampleJudgments} already has. Instead it runs as a stage
 * before the pairs: make one {@code Candidate} per judgment to be meta-judged (id = the judgment id, promptId = the
 * item id, prompt = the item's {@link JudgePrompt}, response = {@link BuildRationalizationPairs#completion}), run
 * {@code SampleJudgments} over them with an absolute meta-judge (a template and rubric that grade how well the
 * feedback justifies its score against the item's rubric), then pass {@link #fromJudgments} of the resulting
 * meta-judgments to {@link TieBreak#metaJudge}. Replays come from the ledger like any other judging. The scores
 * travel with the DoFn, which suits up to some hundred thousand candidates; beyond that, join them by item shard.
 */
@FunctionalInterface
public interface MetaJudge extends Serializable {
  /**
   * Scores the candidates of one item.
   *
   * @param itemId the item
   * @param candidates the tied judgments, sorted by id
   * @return a score per judgment id (higher is better); missing or NaN ranks last
   */
  Map<String, Double> score(String itemId, List<Judgment> candidates);

  /** Scores looked up by judgment id: computed beforehand, by a meta-judge stage or by hand in a test. */
  static MetaJudge precomputed(Map<String, Double> byJudgmentId) {
    return new Precomputed(byJudgmentId);
  }

  /**
   * Precomputed scores from meta-judgments whose {@code candidateA} is the judgment judged: the mean score of each
   * judgment's ok meta-judgments (one with no ok meta-judgment gets none and ranks last).
   */
  static MetaJudge fromJudgments(Iterable<Judgment> metaJudgments) {
    Map<String, double[]> sums = new HashMap<>();
    for (Judgment m : metaJudgments) {
      if (m.status() == JudgmentStatus.OK && m.score() != null) {
        double[] s = sums.computeIfAbsent(m.candidateA(), k -> new double[2]);
        s[0] += m.score();
        s[1]++;
      }
    }
    Map<String, Double> means = new HashMap<>();
    sums.forEach((id, s) -> means.put(id, s[0] / s[1]));
    return new Precomputed(means);
  }

  /** A table of scores by judgment id. */
  record Precomputed(Map<String, Double> scores) implements MetaJudge {
    public Precomputed {
      // HashMap, not Map.copyOf: null-free copy that stays Serializable with a plain, stable form.
      scores = new HashMap<>(Objects.requireNonNull(scores, "scores"));
    }

    @Override
    public Map<String, Double> score(String itemId, List<Judgment> candidates) {
      Map<String, Double> out = new HashMap<>();
      for (Judgment j : candidates) {
        Double s = scores.get(j.id());
        if (s != null) {
          out.put(j.id(), s);
        }
      }
      return out;
    }
  }
}
