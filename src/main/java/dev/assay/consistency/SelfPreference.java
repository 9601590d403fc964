package dev.assay.consistency;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * How much a self-judge (a judge served by the policy's own model) prefers its own outputs beyond what an anchor judge
 * (another model) sees in them.
 *
 * <p>For every response both judges scored (mean of each judge's ok absolute scores), the gap is {@code self - anchor}.
 * The self-preference is the mean gap on the responses the self-judge's model wrote minus the mean gap on the
 * responses other models wrote: a difference in differences, so a self-judge that is merely more lenient than the
 * anchor on everything shows none, and neither does the anchor's own taste where it treats both groups alike. It is
 * given in score points and as a fraction of the rubric's range ({@code points / (max - min)}), the unit of the
 * simulator's {@code self_preference} knob. The 95% interval is a seeded percentile bootstrap (nearest rank) of
 * {@value #REPLICATES} replicates that resample responses within each group.
 *
 * <p>Undefined (null figures, with a {@code note}) when either group has no response scored by both judges.
 *
 * @param selfJudge the judge served by the policy's model
 * @param anchorJudge the judge on another endpoint
 * @param model the self-judge's model: a response is its own when this model wrote it
 * @param own responses of {@code model} scored by both judges
 * @param others responses of other models scored by both judges
 * @param ownGap mean {@code self - anchor} score on its own responses, points; null when undefined
 * @param otherGap the same on the others' responses
 * @param points {@code ownGap - otherGap}
 * @param preference {@code points / (max - min)}
 * @param lower the interval's lower bound, as a fraction of the range
 * @param upper the interval's upper bound, as a fraction of the range
 * @param scaleMin the rubric's lowest score
 * @param scaleMax the rubric's highest score
 * @param note why the figures are null, when they are
 */
public record SelfPreference(
    String selfJudge,
    String anchorJudge,
    String model,
    long own,
    long others,
    Double ownGap,
    Double otherGap,
    Double points,
    @JsonInclude(ALWAYS) Double preference,
    Double lower,
    Double upper,
    int scaleMin,
    int scaleMax,
    String note) {
  /** Bootstrap replicates of the interval. */
  public static final int REPLICATES = 2000;

  /**
   * Measures the self-preference from judgments of both judges.
   *
   * @param judgments judgments of any judges; the ok absolute ones of the two named judges are used
   * @param modelOf the writing model of each response id; responses without an entry are left out
   * @param seed the bootstrap seed
   */
  public static SelfPreference of(
      List<Judgment> judgments, String selfJudge, String anchorJudge, String model, Map<String, String> modelOf,
      int scaleMin, int scaleMax, long seed) {
    if (scaleMax <= scaleMin) {
      throw new IllegalArgumentException("scaleMax must exceed scaleMin: " + scaleMin + ".." + scaleMax);
    }
    Map<String, double[]> self = meanScores(judgments, selfJudge);
    Map<String, double[]> anchor = meanScores(judgments, anchorJudge);
    List<Double> ownGaps = new ArrayList<>();
    List<Double> otherGaps = new ArrayList<>();
    for (var e : new TreeMap<>(self).entrySet()) {
      double[] a = anchor.get(e.getKey());
      String writer = modelOf.get(e.getKey());
      if (a == null || writer == null) {
        continue;
      }
      double gap = mean(e.getValue()) - mean(a);
      (writer.equals(model) ? ownGaps : otherGaps).add(gap);
    }
    if (ownGaps.isEmpty() || otherGaps.isEmpty()) {
      String note = ownGaps.isEmpty() && otherGaps.isEmpty()
          ? "no response was scored by both judges"
          : ownGaps.isEmpty()
              ? "no response written by " + model + " was scored by both judges"
              : "no response written by another model than " + model + " was scored by both judges";
      return new SelfPreference(selfJudge, anchorJudge, model, ownGaps.size(), otherGaps.size(), null, null, null, null,
          null, null, scaleMin, scaleMax, note);
    }
    double[] own = ownGaps.stream().mapToDouble(Double::doubleValue).toArray();
    double[] other = otherGaps.stream().mapToDouble(Double::doubleValue).toArray();
    double range = scaleMax - scaleMin;
    double points = average(own) - average(other);
    SplittableRandom random = new SplittableRandom(seed);
    double[] draws = new double[REPLICATES];
    for (int r = 0; r < REPLICATES; r++) {
      draws[r] = resampledMean(own, random) - resampledMean(other, random);
    }
    Arrays.sort(draws);
    return new SelfPreference(selfJudge, anchorJudge, model, own.length, other.length, average(own), average(other),
        points, points / range, rank(draws, 0.025) / range, rank(draws, 0.975) / range, scaleMin, scaleMax, null);
  }

  /** Whether the preference was measured. */
  public boolean defined() {
    return preference != null;
  }

  /** {sum, count} of the ok absolute scores of {@code judge} per response. */
  private static Map<String, double[]> meanScores(List<Judgment> judgments, String judge) {
    Map<String, double[]> out = new HashMap<>();
    for (Judgment j : judgments) {
      if (j.judge().equals(judge) && j.kind() == JudgmentKind.ABSOLUTE && j.status() == JudgmentStatus.OK) {
        double[] s = out.computeIfAbsent(j.candidateA(), k -> new double[2]);
        s[0] += j.score();
        s[1]++;
      }
    }
    return out;
  }

  private static double mean(double[] sumAndCount) {
    return sumAndCount[0] / sumAndCount[1];
  }

  private static double average(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return sum / v.length;
  }

  private static double resampledMean(double[] v, SplittableRandom random) {
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      sum += v[random.nextInt(v.length)];
    }
    return sum / v.length;
  }

  /** The nearest-rank quantile q of sorted values. */
  private static double rank(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, i))];
  }
}
