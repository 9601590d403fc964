package dev.assay.rewards.judge;

import dev.assay.judging.JudgmentStatus;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.Descriptive;
import dev.assay.rewards.PairPreference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code judge} reward model for one prompt, as a pure function: one absolute judge's samples of a prompt's
 * candidates in, a reward per candidate and a preference per pair of candidates out. This is the voter's primary API;
 * {@link ScoreWithJudge} applies it per prompt on its own, the pipeline's one grouping by prompt ({@code
 * pipeline.ScoreAndCuratePairs}) applies it for every judge voter, and the CPU benchmark's plain loop calls it too.
 *
 * <p><b>Reward.</b> The mean of the candidate's ok scores; {@code samples} = judgments of it by this judge (any
 * status), {@code usable} = ok ones, {@code spread} = their sample standard deviation. A candidate without an ok
 * judgment gets reward NaN and usable 0: a failed or unparseable judgment is never turned into a score. Median, min,
 * max, the share that parsed and the count per status are in its {@link JudgeScoreStats}.
 *
 * <p><b>Pair probability.</b> For candidates x < y (by id) with ok scores {@code X} and {@code Y}: {@code P(x better)
 * = (#{(a, b) in X x Y : a > b} + 0.5 #{a = b}) / (|X| |Y|)}, the Mann-Whitney probability of superiority ({@link
 * #probabilityOfSuperiority}). All sample pairs are compared, not only equal sample indices, because samples of
 * different candidates are independent draws. {@code votes} = {@code |X| |Y|}. A pair where either side has no ok
 * score is skipped (no preference is made up) and counted in {@link Result#pairsUndefined}.
 *
 * <p><b>Duplicates.</b> A second sample for the same candidate and sample index (a duplicated import) is counted in
 * {@link Result#duplicates} and dropped, keeping the first in (status, score) order, so the result does not depend on
 * the samples' order. Failure mode: {@link IllegalArgumentException} for no samples.
 */
public final class JudgeScoring {
  private JudgeScoring() {}

  /**
   * One prompt's scores by one judge voter.
   *
   * @param stats per candidate, in candidate id order
   * @param rewards per candidate, in the same order ({@link JudgeScoreStats#toReward})
   * @param preferences per pair of candidates with ok scores on both sides, first < second by id
   * @param pairsUndefined pairs skipped because a side had no ok score
   * @param duplicates samples dropped as repeats of a (candidate, sample index)
   */
  public record Result(
      List<JudgeScoreStats> stats, List<CandidateReward> rewards, List<PairPreference> preferences, long pairsUndefined, long duplicates) {
    public Result {
      stats = List.copyOf(stats);
      rewards = List.copyOf(rewards);
      preferences = List.copyOf(preferences);
    }
  }

  private static final Comparator<ScoreSample> KEEP_FIRST =
      Comparator.comparing(ScoreSample::status).thenComparing(s -> s.score() == null ? Integer.MIN_VALUE : s.score());

  /**
   * Scores one prompt.
   *
   * @param rewardModel the voter's name, written on every output
   * @param judge the judge whose samples these are, written on the stats
   * @param samples one prompt's samples by {@code judge} (any order, at least one)
   */
  public static Result score(String rewardModel, String judge, List<ScoreSample> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples to score for " + rewardModel);
    }
    // candidate -> sample index -> the kept sample
    Map<String, Map<Integer, ScoreSample>> byCandidate = new TreeMap<>();
    long duplicates = 0;
    for (ScoreSample s : samples) {
      Map<Integer, ScoreSample> bySample = byCandidate.computeIfAbsent(s.candidateId(), k -> new TreeMap<>());
      ScoreSample before = bySample.get(s.sample());
      if (before != null) {
        duplicates++;
        if (KEEP_FIRST.compare(s, before) >= 0) {
          continue;
        }
      }
      bySample.put(s.sample(), s);
    }
    String promptId = samples.get(0).promptId();
    List<JudgeScoreStats> stats = new ArrayList<>();
    List<CandidateReward> rewards = new ArrayList<>();
    List<double[]> okScores = new ArrayList<>();
    for (Map.Entry<String, Map<Integer, ScoreSample>> e : byCandidate.entrySet()) {
      long[] byStatus = new long[JudgmentStatus.values().length];
      double[] ok = new double[e.getValue().size()];
      int k = 0;
      for (ScoreSample s : e.getValue().values()) {
        byStatus[s.status().ordinal()]++;
        if (s.status() == JudgmentStatus.OK) {
          ok[k++] = s.score().doubleValue();
        }
      }
      double[] v = Arrays.copyOf(ok, k);
      okScores.add(v);
      JudgeScoreStats st =
          new JudgeScoreStats(
              rewardModel, judge, promptId, e.getKey(), e.getValue().size(),
              byStatus[JudgmentStatus.OK.ordinal()], byStatus[JudgmentStatus.UNPARSEABLE.ordinal()],
              byStatus[JudgmentStatus.REFUSED.ordinal()], byStatus[JudgmentStatus.TRUNCATED.ordinal()],
              byStatus[JudgmentStatus.FAILED.ordinal()], Descriptive.mean(v), Descriptive.median(v),
              v.length == 0 ? Double.NaN : Descriptive.sampleStd(v),
              v.length == 0 ? Double.NaN : Arrays.stream(v).min().getAsDouble(),
              v.length == 0 ? Double.NaN : Arrays.stream(v).max().getAsDouble());
      stats.add(st);
      rewards.add(st.toReward());
    }
    List<PairPreference> prefs = new ArrayList<>();
    long undefined = 0;
    for (int i = 0; i < stats.size(); i++) {
      for (int j = i + 1; j < stats.size(); j++) {
        double[] x = okScores.get(i);
        double[] y = okScores.get(j);
        if (x.length == 0 || y.length == 0) {
          undefined++;
          continue;
        }
        prefs.add(
            new PairPreference(
                rewardModel, promptId, stats.get(i).candidateId(), stats.get(j).candidateId(),
                probabilityOfSuperiority(x, y), (long) x.length * y.length, 0));
      }
    }
    return new Result(stats, rewards, prefs, undefined, duplicates);
  }

  /** {@code (#{a > b} + 0.5 #{a = b}) / (|x| |y|)} over all a in x, b in y; both non-empty. */
  public static double probabilityOfSuperiority(double[] x, double[] y) {
    double wins = 0;
    for (double a : x) {
      for (double b : y) {
        wins += a > b ? 1 : (a == b ? 0.5 : 0);
      }
    }
    return wins / ((double) x.length * y.length);
  }
}
