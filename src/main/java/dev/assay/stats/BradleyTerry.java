package dev.assay.stats;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The Bradley-Terry model of pairwise comparisons, fitted by maximum likelihood: player {@code i} beats {@code j}
 * with probability {@code 1 / (1 + exp(s_j - s_i))}, where {@code s} are the players' log-strengths.
 *
 * <p><b>Fit.</b> Hunter's minorization-maximization algorithm (Ann. Statist. 32(1), 2004, eq. 3): {@code gamma_i <-
 * W_i / sum_j n_ij / (gamma_i + gamma_j)}, with {@code W_i} the wins of {@code i} and {@code n_ij} the comparisons of
 * {@code i} and {@code j}, until no log-strength moves by more than 1e-12. The log-strengths are reported with mean
 * zero (the model fixes only their differences). <b>Ties count as half a win for each side</b>: the likelihood of a
 * tie is taken as {@code sqrt(p_ij p_ji)}, which leaves the estimator unchanged from counting it as one half-win each
 * (so a set with one tie is not a set with a win and a loss more: it is a set with half of each); Rao-Kupper or
 * Davidson's tie parameter is not estimated.
 *
 * <p><b>Elo scale.</b> {@link Fit#elo} maps a log-strength to {@code 1000 + 400 s / ln 10}, the scale of LMSYS's
 * maximum-likelihood Elo (base 10, scale 400, initial rating 1000): a 400-point gap is odds of 10 to 1.
 *
 * <p><b>Bootstrap.</b> {@link #bootstrap} resamples <em>units</em> (groups of comparisons that share a source, such
 * as the prompts both policies answered), not single comparisons, so comparisons that share a prompt stay together
 * and the interval reflects the spread between prompts.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for a player index outside {@code [0, players)} or fewer than
 * two players; {@link NoFiniteEstimateException} when the maximum is not finite (Hunter's condition: for every split
 * of the players into two groups, each group beat the other at least half a game).
 */
public final class BradleyTerry {
  private static final double TOLERANCE = 1e-12;
  private static final int MAX_ITERATIONS = 1_000_000;

  private BradleyTerry() {}

  /**
   * The maximum-likelihood fit.
   *
   * @param logStrengths one per player, mean zero
   * @param iterations MM iterations until convergence
   */
  public record Fit(List<Double> logStrengths, int iterations) {
    public Fit {
      logStrengths = List.copyOf(logStrengths);
    }

    /** The model's probability that {@code i} beats {@code j} (ties as half-wins: the expected score of {@code i}). */
    public double probability(int i, int j) {
      return 1 / (1 + Math.exp(logStrengths.get(j) - logStrengths.get(i)));
    }

    /** {@code s_i - s_j}: the log-odds that {@code i} beats {@code j}. */
    public double difference(int i, int j) {
      return logStrengths.get(i) - logStrengths.get(j);
    }

    /** Player {@code i}'s rating on LMSYS's Elo scale, {@code 1000 + 400 s_i / ln 10}. */
    public double elo(int i) {
      return Elo.INITIAL_RATING + Elo.SCALE * logStrengths.get(i) / Math.log(Elo.BASE);
    }
  }

  /**
   * Fits the model to {@code comparisons} among {@code players} players.
   *
   * @throws NoFiniteEstimateException when a player was never compared, or some group never lost to the rest
   */
  public static Fit fit(int players, Collection<Comparison> comparisons) {
    if (players < 2) {
      throw new IllegalArgumentException("Bradley-Terry needs at least two players: " + players);
    }
    double[] wins = new double[players];
    double[][] games = new double[players][players];
    for (Comparison c : comparisons) {
      check(players, c);
      wins[c.first()] += c.scoreFirst();
      wins[c.second()] += 1 - c.scoreFirst();
      games[c.first()][c.second()]++;
      games[c.second()][c.first()]++;
    }
    requireFinite(players, comparisons);
    double[] gamma = new double[players];
    java.util.Arrays.fill(gamma, 1);
    for (int iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
      double[] next = new double[players];
      for (int i = 0; i < players; i++) {
        double denominator = 0;
        for (int j = 0; j < players; j++) {
          if (j != i && games[i][j] > 0) {
            denominator += games[i][j] / (gamma[i] + gamma[j]);
          }
        }
        next[i] = wins[i] / denominator;
      }
      double[] log = centredLogs(next);
      double moved = 0;
      for (int i = 0; i < players; i++) {
        moved = Math.max(moved, Math.abs(log[i] - Math.log(gamma[i])));
        gamma[i] = Math.exp(log[i]);
      }
      if (moved < TOLERANCE) {
        List<Double> out = new ArrayList<>(players);
        for (double l : log) {
          out.add(l);
        }
        return new Fit(out, iteration);
      }
    }
    // With a finite maximum the MM map converges linearly; not converging in a million steps means a bug, not data.
    throw new IllegalStateException("Bradley-Terry did not converge in " + MAX_ITERATIONS + " iterations");
  }

  /**
   * Bootstrap replicates of the fit: each draws as many units as there are, with replacement (seeded), and refits on
   * their comparisons. A replicate whose comparisons have no finite maximum is skipped and counted.
   *
   * @param units the comparisons grouped by the resampling unit (e.g. by prompt)
   * @param replicates >= 1
   * @param seed the seed of the draws: the same arguments always give the same replicates
   */
  public static Bootstrap bootstrap(int players, List<? extends Collection<Comparison>> units, int replicates, long seed) {
    if (replicates < 1) {
      throw new IllegalArgumentException("replicates must be >= 1: " + replicates);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Fit> fits = new ArrayList<>(replicates);
    int n = units.size();
    for (int r = 0; r < replicates; r++) {
      List<Comparison> drawn = new ArrayList<>();
      for (int u = 0; u < n; u++) {
        drawn.addAll(units.get(random.nextInt(n)));
      }
      try {
        fits.add(fit(players, drawn));
      } catch (NoFiniteEstimateException e) {
        // Counted by the caller through skipped(): dropping it silently would narrow the interval unseen.
      }
    }
    return new Bootstrap(fits, replicates);
  }

  /**
   * The replicate fits of a bootstrap.
   *
   * @param fits the replicates that had a finite maximum
   * @param replicates the replicates drawn
   */
  public record Bootstrap(List<Fit> fits, int replicates) {
    public Bootstrap {
      fits = List.copyOf(fits);
    }

    /** Replicates without a finite maximum, left out of every interval. */
    public int skipped() {
      return replicates - fits.size();
    }

    /** The percentile interval at {@code level} of a statistic of the fit over the replicates (NaN bounds when none). */
    public ConfidenceInterval interval(ToDoubleFunction<Fit> statistic, double level) {
      if (!(level > 0 && level < 1)) {
        throw new IllegalArgumentException("level must be in (0, 1): " + level);
      }
      return PercentileInterval.of(fits.stream().mapToDouble(statistic).toArray(), level);
    }
  }

  private static void check(int players, Comparison c) {
    Objects.requireNonNull(c, "comparison");
    if (c.first() >= players || c.second() >= players) {
      throw new IllegalArgumentException("comparison " + c + " names a player outside [0, " + players + ")");
    }
  }

  private static double[] centredLogs(double[] gamma) {
    double[] log = new double[gamma.length];
    double mean = 0;
    for (int i = 0; i < gamma.length; i++) {
      log[i] = Math.log(gamma[i]);
      mean += log[i] / gamma.length;
    }
    for (int i = 0; i < gamma.length; i++) {
      log[i] -= mean;
    }
    return log;
  }

  /**
   * Hunter's condition, as graph connectivity: with an edge from {@code j} to {@code i} wherever {@code i} scored
   * against {@code j} (a win or a tie), every player must reach every other.
   */
  private static void requireFinite(int players, Collection<Comparison> comparisons) {
    boolean[][] scoredAgainst = new boolean[players][players];
    for (Comparison c : comparisons) {
      if (c.scoreFirst() > 0) {
        scoredAgainst[c.first()][c.second()] = true;
      }
      if (c.scoreFirst() < 1) {
        scoredAgainst[c.second()][c.first()] = true;
      }
    }
    if (!reachesAll(players, scoredAgainst, false) || !reachesAll(players, scoredAgainst, true)) {
      throw new NoFiniteEstimateException(
          "no finite Bradley-Terry estimate: some players never lost (even by a tie) to the others, or were never"
              + " compared, among " + comparisons.size() + " comparisons of " + players + " players");
    }
  }

  private static boolean reachesAll(int players, boolean[][] edge, boolean reverse) {
    boolean[] seen = new boolean[players];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    seen[0] = true;
    int reached = 1;
    while (!queue.isEmpty()) {
      int at = queue.poll();
      for (int next = 0; next < players; next++) {
        boolean linked = reverse ? edge[next][at] : edge[at][next];
        if (linked && !seen[next]) {
          seen[next] = true;
          reached++;
          queue.add(next);
        }
      }
    }
    return reached == players;
  }
}
