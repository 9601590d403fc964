package dev.assay.rewards;

import dev.assay.generation.Candidate;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.stats.Correlation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures whether an absolute judge rewards length: the R² of a one-feature least-squares regression of score on
 * response length in words (over every ok judgment), with its p-value, Spearman's rho, counts and a plain-words
 * verdict.
 *
 * <p><b>Threshold.</b> A judge is called length-biased when length explains at least {@value #THRESHOLD_PERCENT}% of
 * its score variance ({@code R² >= 0.05}, |r| >= 0.22) and the association is significant ({@code p <} {@value
 * #SIGNIFICANCE}, so a handful of judgments cannot trip it). The level is set where a bias matters in practice, found
 * on the simulator: a judge that adds a full point per 100 words on a 1-5 scale (the simulator's {@code lengthBias}
 * 0.25, its "lenient" judge) shows about 7% on responses of 15 to 100 words, and an unbiased twin about 0.2%. Cohen's
 * "medium" effect (9%) would miss that judge, although a policy could buy a point of reward with 100 words.
 *
 * <p>The probe sees association, not cause: where longer answers really are better (they often are on open
 * questions, and stronger models write longer answers), a high R² is a flag to look at, not proof. On the simulator,
 * whose true quality does not depend on length, anything well above zero is bias.
 *
 * <p>Failure modes ({@link IllegalArgumentException}, caller mistakes): no judgments, judgments of more than one
 * judge, pairwise judgments. Fewer than {@value #MIN_POINTS} usable points, or no variation in length or score, give a
 * result with NaN statistics and a verdict that says the bias cannot be measured.
 */
public final class LengthBiasProbe {
  /** The threshold in percent of score variance. */
  public static final int THRESHOLD_PERCENT = 5;

  /** The p-value below which an R² over the threshold counts. */
  public static final double SIGNIFICANCE = 0.05;

  /** R² at and above which a judge is called length-biased. */
  public static final double THRESHOLD = THRESHOLD_PERCENT / 100.0;

  /** Below this many scored judgments an R² says nothing. */
  public static final int MIN_POINTS = 10;

  private LengthBiasProbe() {}

  public static LengthBias measure(List<Judgment> absoluteJudgments, List<Candidate> candidates) {
    if (absoluteJudgments.isEmpty()) {
      throw new IllegalArgumentException("no judgments to measure");
    }
    String judge = absoluteJudgments.get(0).judge();
    Map<String, Integer> words = new HashMap<>();
    for (Candidate c : candidates) {
      words.put(c.id(), TextFeatures.wordCount(c.response()));
    }
    List<double[]> points = new ArrayList<>();
    long notOk = 0;
    long withoutCandidate = 0;
    for (Judgment j : absoluteJudgments) {
      if (!j.judge().equals(judge)) {
        throw new IllegalArgumentException("one judge at a time: got " + judge + " and " + j.judge());
      }
      if (j.kind() != JudgmentKind.ABSOLUTE) {
        throw new IllegalArgumentException("the length probe reads absolute judgments; " + j.id() + " is pairwise");
      }
      if (j.status() != JudgmentStatus.OK) {
        notOk++;
        continue;
      }
      Integer w = words.get(j.candidateA());
      if (w == null) {
        withoutCandidate++;
        continue;
      }
      points.add(new double[] {w, j.score()});
    }
    long n = points.size();
    long total = absoluteJudgments.size();
    if (n < MIN_POINTS) {
      return unmeasurable(judge, total, n, notOk, withoutCandidate,
          "too few scored judgments (" + n + ", need " + MIN_POINTS + ") to measure a length bias");
    }
    double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
    double mx = Descriptive.mean(x);
    double my = Descriptive.mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0 || syy == 0) {
      return unmeasurable(judge, total, n, notOk, withoutCandidate,
          (sxx == 0 ? "response lengths" : "scores") + " do not vary over " + n + " judgments: length bias cannot be measured");
    }
    double slope = sxy / sxx;
    double r2 = sxy * sxy / (sxx * syy);
    double rho = Correlation.spearman(x, y).coefficient();
    double p = Correlation.pearson(x, y).pValue();
    boolean strong = r2 >= THRESHOLD;
    boolean biased = strong && p < SIGNIFICANCE;
    String found =
        String.format(Locale.ROOT, "length explains %.1f%% of score variance (Spearman %.2f, %+.2f points per 100 words, %d judgments)",
            100 * r2, rho, 100 * slope, n);
    String verdict;
    if (biased) {
      verdict = found + ": the judge is length-biased, favouring " + (slope > 0 ? "longer" : "shorter") + " responses";
    } else if (strong) {
      verdict = found + String.format(Locale.ROOT, ", but that is not significant (p = %.2g): no firm length bias", p);
    } else {
      verdict = found + ": below the " + THRESHOLD_PERCENT + "% threshold, no length bias";
    }
    return new LengthBias(
        judge, total, n, notOk, withoutCandidate, r2, p, 100 * slope, my - slope * mx, rho, THRESHOLD, biased, verdict);
  }

  private static LengthBias unmeasurable(String judge, long total, long n, long notOk, long withoutCandidate, String why) {
    return new LengthBias(
        judge, total, n, notOk, withoutCandidate, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, THRESHOLD,
        false, why);
  }
}
