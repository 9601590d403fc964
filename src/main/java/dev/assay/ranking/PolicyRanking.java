package dev.assay.ranking;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.stats.BradleyTerry;
import dev.assay.stats.Comparison;
import dev.assay.stats.ConfidenceInterval;
import dev.assay.stats.PercentileInterval;
import dev.assay.stats.Elo;
import dev.assay.stats.NoFiniteEstimateException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Summarises the ranking step's judgments: each ok judgment is one comparison between the two policies (the side
 * shown first read from its candidate's {@link RankingSide} prefix; a tie is half a win for each), both seat orders
 * counted, so a judge's position bias weighs on both sides alike.
 *
 * <p>The estimate is the Bradley-Terry fit over two players ({@link BradleyTerry}); its probability that this policy
 * beats the previous one equals the share of (half-)wins, which stays defined when one side won everything, so the
 * interval is the percentile bootstrap of that share with the prompt as unit: each replicate draws as many prompts as
 * there are, with replacement, with all of a prompt's judgments (both orders, every response pair and sample).
 *
 * <p>Failure modes: {@link IllegalArgumentException} for a judgment that is not a pairwise ranking judgment (an input
 * assembled wrongly), or judgments of several judges.
 */
public final class PolicyRanking {
  private static final int CURRENT = 0;
  private static final int PREVIOUS = 1;

  private PolicyRanking() {}

  /**
   * @param judgments the ranking judgments of every status
   * @param currentPolicy the model that wrote this iteration's responses
   * @param previousPolicy the model that wrote the previous iteration's
   * @param previousRun the previous iteration's run directory, as recorded
   * @param spec the judge's name, replicates and seed
   * @param model the model that judged
   */
  public static RankingSummary of(
      List<Judgment> judgments, String currentPolicy, String previousPolicy, String previousRun, RankingSpec spec, String model) {
    List<Judgment> sorted = new ArrayList<>(judgments);
    sorted.sort(Comparator.comparing(Judgment::id));
    Map<String, List<Comparison>> byPrompt = new TreeMap<>();
    List<Comparison> inOrder = new ArrayList<>();
    long wins = 0;
    long losses = 0;
    long ties = 0;
    for (Judgment j : sorted) {
      if (j.kind() != JudgmentKind.PAIRWISE) {
        throw new IllegalArgumentException("ranking reads pairwise judgments; " + j.id() + " is " + j.kind());
      }
      if (!j.judge().equals(spec.judge())) {
        throw new IllegalArgumentException("judgment " + j.id() + " is by " + j.judge() + ", not the ranking judge " + spec.judge());
      }
      RankingSide first = RankingSide.of(j.candidateA());
      if (RankingSide.of(j.candidateB()) == first) {
        throw new IllegalArgumentException("judgment " + j.id() + " compares two responses of the same policy");
      }
      if (j.status() != JudgmentStatus.OK) {
        continue;
      }
      int a = first == RankingSide.CURRENT ? CURRENT : PREVIOUS;
      Comparison c =
          switch (j.verdict()) {
            case A -> Comparison.win(a, 1 - a);
            case B -> Comparison.win(1 - a, a);
            case TIE -> Comparison.tie(a, 1 - a);
          };
      double currentScore = c.first() == CURRENT ? c.scoreFirst() : 1 - c.scoreFirst();
      if (currentScore == 1) {
        wins++;
      } else if (currentScore == 0) {
        losses++;
      } else {
        ties++;
      }
      byPrompt.computeIfAbsent(j.itemId(), k -> new ArrayList<>()).add(c);
      inOrder.add(c);
    }
    long ok = wins + losses + ties;
    List<Double> online = Elo.ratings(2, inOrder, Elo.DEFAULT_K);
    if (ok == 0) {
      return new RankingSummary(
          spec.judge(), model, currentPolicy, previousPolicy, previousRun, 0, judgments.size(), 0, 0, 0, 0,
          null, null, null, null, null, null, null, null, online.get(CURRENT), online.get(PREVIOUS), spec.replicates(), spec.seed());
    }
    double winRate = (wins + ties / 2.0) / ok;
    Double difference = null;
    Double eloCurrent = null;
    Double eloPrevious = null;
    try {
      BradleyTerry.Fit fit = BradleyTerry.fit(2, inOrder);
      difference = fit.difference(CURRENT, PREVIOUS);
      eloCurrent = fit.elo(CURRENT);
      eloPrevious = fit.elo(PREVIOUS);
    } catch (NoFiniteEstimateException e) {
      // One side won every comparison: the win rate (0 or 1) still says so; the strengths are unbounded.
    }
    double[] bounds = interval(new ArrayList<>(byPrompt.values()), spec.replicates(), spec.seed());
    return new RankingSummary(
        spec.judge(), model, currentPolicy, previousPolicy, previousRun, byPrompt.size(), judgments.size(), ok, wins, losses, ties,
        winRate, bounds[0], bounds[1], difference, logit(bounds[0]), logit(bounds[1]), eloCurrent, eloPrevious,
        online.get(CURRENT), online.get(PREVIOUS), spec.replicates(), spec.seed());
  }

  /** The percentile bootstrap interval of the current policy's share of (half-)wins, prompts resampled. */
  static double[] interval(List<List<Comparison>> units, int replicates, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] shares = new double[replicates];
    int n = units.size();
    for (int r = 0; r < replicates; r++) {
      double score = 0;
      long games = 0;
      for (int u = 0; u < n; u++) {
        for (Comparison c : units.get(random.nextInt(n))) {
          score += c.first() == CURRENT ? c.scoreFirst() : 1 - c.scoreFirst();
          games++;
        }
      }
      shares[r] = score / games; // every unit holds at least one comparison
    }
    ConfidenceInterval ci = PercentileInterval.of(shares, RankingSpec.LEVEL);
    return new double[] {ci.lower(), ci.upper()};
  }

  private static Double logit(double p) {
    return p > 0 && p < 1 ? Math.log(p / (1 - p)) : null;
  }
}
