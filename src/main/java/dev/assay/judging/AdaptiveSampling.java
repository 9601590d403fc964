package dev.assay.judging;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Adaptive sampling for an absolute judge ({@code adaptive:} under a judge): {@code n_min} samples for every
 * candidate, then, round by round, {@code step} more for each candidate whose scores could still change a decision
 * that depends on them, up to {@code n_max}.
 *
 * <p><b>The stopping rule</b>, applied per prompt after each round to the judge's own ok scores. Each candidate with
 * at least one ok score has a mean {@code m} and a standard error {@code se = max(sd, sd_floor) / sqrt(k)} over its
 * {@code k} ok scores ({@code sd} the sample standard deviation, 0 for one score; the floor keeps two equal Likert
 * scores from passing for certainty). Its interval is {@code m ± z se}. The best candidate (highest mean; ties to the
 * smaller id) and the worst (lowest mean; ties to the smaller id, as in consensus) are what the judge's reward picks as chosen and
 * rejected. A candidate is <i>uncertain</i> when
 * <ol>
 *   <li>it is the best and another candidate's interval reaches its own (the other could still rank first), or it
 *       is that other candidate;
 *   <li>it is the worst and another candidate's interval reaches its own, or it is that other candidate;
 *   <li>it is the best or the worst and a margin threshold {@code m0} is given (the consensus's primary margin,
 *       when this judge's reward model is the primary) with {@code |m_best - m_worst - m0| < z sqrt(se_best² +
 *       se_worst²)} (the margin could still fall on the other side of {@code m0});
 *   <li>it has judgments but no ok score yet (nothing is known of it);
 *   <li>only when this judge's ranking feeds the consistency filter (CREAM's C(x) reads the order of every
 *       candidate, not only the best and the worst): it and another candidate could still swap places, {@code
 *       |m_a - m_b| < z sqrt(se_a² + se_b²)} (equal means included);
 *   <li>only when both judges of a consistency filter are adaptive, which are then asked in joint rounds ({@link
 *       #nextPair}), in place of rule 5, and of rules 1 and 2 on a judge no margin decision reads: it is in a close
 *       pair of either judge whose order, moved with every other close pair toward agreement with the other judge's
 *       ranking ({@code z_rank}: a prompt the filter rejects now could pass) or away from it ({@code z_rank_away}: a
 *       prompt it keeps now could fail), would put C(x) on the other side of the filter's threshold. On the judge
 *       whose best and worst a margin decision reads (rule 3's {@code m0} given: the pair the filter passes or
 *       rejects), rules 1 and 2 still apply, at their own width {@code z_choice}.
 * </ol>
 * An uncertain candidate with fewer than {@code n_max} samples asked gets {@code step} more (capped at
 * {@code n_max}); the rounds stop when no candidate is uncertain or after {@link #rounds()} rounds (enough for a
 * candidate uncertain from the first round on to reach {@code n_max}; one that becomes uncertain only later, when a
 * rival's scores moved, may stop below it). Nothing random
 * enters the rule: the samples' seeds are the fixed-{@code n} judge's (sample {@code i} is the same request, so the
 * same ledger entry, at any {@code n}), and the rule reads only their scores, so a run is exactly reproducible and a
 * rerun or resume replays every round from the ledger.
 *
 * @param nMin samples every candidate gets (default 2), at least 1
 * @param nMax the most samples a candidate gets (default 5), at least {@code n_min}
 * @param step samples added per uncertain candidate per round (default 1)
 * @param z the interval's half-width in standard errors (default 1.0)
 * @param sdFloor the least standard deviation assumed of a candidate's scores, in score points (default 0.5)
 * @param zRank rule 6's half-width in standard errors of a difference toward agreement (default 1.0): how far apart
 *     two candidates' means may be and still count as a close pair, whose order could lift C(x) over the consistency
 *     threshold on a prompt the filter rejects now
 * @param zRankAway rule 6's half-width away from agreement (default 0.5): the same for a prompt the filter keeps now,
 *     whose C(x) could fall under the threshold. Narrower than {@code z_rank}: with both at 0.75 the rule kept 0.975
 *     of fixed {@code n = 5}'s pairs on the tuning seeds, re-asking kept prompts more often than rejected ones
 *     (BENCHMARKS.md, "Judge sampling")
 * @param zChoice rules 1 and 2's half-width in joint rounds, on the judge a margin decision reads (default 0.5):
 *     how far a rival's interval may reach the best's or the worst's and still leave the pair settled. Without it
 *     (rule 6 alone) the pair was chosen on fewer samples than at fixed {@code n = 5} and its truly-better rate fell
 *     0.9 points on 21 seeds; at 0.5 it costs 0.03 of {@code n = 5}'s samples (BENCHMARKS.md, "Judge sampling")
 */
public record AdaptiveSampling(
    Integer nMin, Integer nMax, Integer step, Double z, Double sdFloor, Double zRank, Double zRankAway,
    Double zChoice)
    implements Serializable {
  /** The settings without {@code z_rank}, {@code z_rank_away} and {@code z_choice} (their defaults). */
  public AdaptiveSampling(Integer nMin, Integer nMax, Integer step, Double z, Double sdFloor) {
    this(nMin, nMax, step, z, sdFloor, null, null, null);
  }

  /** The settings without {@code z_rank_away} and {@code z_choice} (their defaults). */
  public AdaptiveSampling(Integer nMin, Integer nMax, Integer step, Double z, Double sdFloor, Double zRank) {
    this(nMin, nMax, step, z, sdFloor, zRank, null);
  }

  /** The settings without {@code z_choice} (its default). */
  public AdaptiveSampling(
      Integer nMin, Integer nMax, Integer step, Double z, Double sdFloor, Double zRank, Double zRankAway) {
    this(nMin, nMax, step, z, sdFloor, zRank, zRankAway, null);
  }

  public AdaptiveSampling {
    nMin = nMin == null ? 2 : nMin;
    nMax = nMax == null ? Math.max(5, nMin) : nMax;
    step = step == null ? 1 : step;
    z = z == null ? 1.0 : z;
    sdFloor = sdFloor == null ? 0.5 : sdFloor;
    zRank = zRank == null ? 1.0 : zRank;
    zRankAway = zRankAway == null ? 0.5 : zRankAway;
    zChoice = zChoice == null ? 0.5 : zChoice;
    if (nMin < 1) {
      throw new IllegalArgumentException("adaptive.n_min must be >= 1: " + nMin);
    }
    if (nMax < nMin) {
      throw new IllegalArgumentException("adaptive.n_max must be >= n_min (" + nMin + "): " + nMax);
    }
    if (step < 1) {
      throw new IllegalArgumentException("adaptive.step must be >= 1: " + step);
    }
    if (!(z >= 0) || Double.isInfinite(z)) {
      throw new IllegalArgumentException("adaptive.z must be a finite number >= 0: " + z);
    }
    if (!(sdFloor >= 0) || Double.isInfinite(sdFloor)) {
      throw new IllegalArgumentException("adaptive.sd_floor must be a finite number >= 0: " + sdFloor);
    }
    if (!(zRank >= 0) || Double.isInfinite(zRank)) {
      throw new IllegalArgumentException("adaptive.z_rank must be a finite number >= 0: " + zRank);
    }
    if (!(zRankAway >= 0) || Double.isInfinite(zRankAway)) {
      throw new IllegalArgumentException("adaptive.z_rank_away must be a finite number >= 0: " + zRankAway);
    }
    if (!(zChoice >= 0) || Double.isInfinite(zChoice)) {
      throw new IllegalArgumentException("adaptive.z_choice must be a finite number >= 0: " + zChoice);
    }
  }

  /** The most rounds after the first: {@code ceil((n_max - n_min) / step)}. */
  public int rounds() {
    return (nMax - nMin + step - 1) / step;
  }

  /**
   * What is known of one candidate after a round.
   *
   * @param candidateId the candidate
   * @param asked samples asked so far: one more than the highest sample index judged (any status)
   * @param scores its ok scores
   */
  public record Known(String candidateId, int asked, List<Integer> scores) {
    public Known {
      Objects.requireNonNull(candidateId, "candidateId");
      scores = List.copyOf(scores);
      if (asked < 0) {
        throw new IllegalArgumentException("asked must be >= 0: " + asked);
      }
    }
  }

  /**
   * One more round for a candidate: samples {@code from} (inclusive) to {@code to} (exclusive).
   *
   * @param candidateId the candidate
   * @param from first sample index to ask
   * @param to one past the last
   */
  public record More(String candidateId, int from, int to) {}

  /**
   * The candidates of one prompt that need more samples, sorted by id, with the samples to ask.
   *
   * @param prompt every candidate of the prompt this judge was asked about
   * @param m0 the margin threshold of rule 3, or null when no margin decision depends on this judge
   */
  public List<More> next(List<Known> prompt, Double m0) {
    return next(prompt, m0, false);
  }

  /**
   * The candidates of one prompt that need more samples, sorted by id, with the samples to ask.
   *
   * @param prompt every candidate of the prompt this judge was asked about
   * @param m0 the margin threshold of rule 3, or null when no margin decision depends on this judge
   * @param ranking whether this judge's whole ranking feeds a decision (the consistency filter): rule 5
   */
  public List<More> next(List<Known> prompt, Double m0, boolean ranking) {
    List<Scored> scored = scored(prompt);
    TreeSet<String> uncertain = unknown(prompt);
    uncertain.addAll(choice(scored, m0));
    if (ranking) {
      // Rule 5. Rules 1 and 2 already guard every pair that holds the best or the worst; this adds the middle
      // pairs, whose order moves tau-b as much as any other pair's. The test is on the difference of the means
      // (narrower than two intervals touching), which on seed 7 kept the consistency decision at fewer samples.
      for (int a = 0; a < scored.size(); a++) {
        for (int b = a + 1; b < scored.size(); b++) {
          if (couldSwap(scored.get(a), scored.get(b), z)) {
            uncertain.add(scored.get(a).id);
            uncertain.add(scored.get(b).id);
          }
        }
      }
    }
    return more(prompt, uncertain);
  }

  /**
   * What one prompt's two judges of a consistency filter ask next, decided together: the filter's C(x) reads both
   * judges' rankings, so whether a pair's order still matters depends on the other judge's ranking too (rule 6).
   *
   * <p>Each side follows rule 4 and, with a margin threshold given for it, rule 3 and rules 1 and 2 at {@code
   * z_choice} (that side's best and worst are a pair some decision reads). Rule 5, and rules 1 and 2 on a side
   * without a margin threshold, are replaced by rule 6: C(x) is computed from both sides' means over the candidates
   * scored on both, as the filter computes it. A pair of one side is <i>close</i> toward agreement when its means are within {@code z_rank} standard errors of
   * their difference ({@code |m_a - m_b| < z_rank sqrt(se_a² + se_b²)}) or equal, and close away from it the same
   * with {@code z_rank_away}. If ordering every close pair of both sides as the other side orders it (all toward
   * agreement), or every close-away pair against it (all toward disagreement), would put C(x) on the other side of
   * {@code threshold} than now (an undefined C(x) passes only with {@code keepUndefined}), the candidates of the close
   * pairs that move are asked again. Each side's own settings give its {@code n_max}, {@code step}, {@code
   * sd_floor}, {@code z} (rule 3), {@code z_choice}, {@code z_rank} and {@code z_rank_away}.
   *
   * @param currentRule the current judge's settings (the judge of the consistency's {@code reward_model})
   * @param current every candidate of the prompt the current judge was asked about
   * @param currentM0 rule 3's margin threshold for the current judge, or null
   * @param previousRule the previous judge's settings (the consistency's {@code previous_judge})
   * @param previous every candidate of the prompt the previous judge was asked about
   * @param previousM0 rule 3's margin threshold for the previous judge, or null
   * @param threshold the consistency filter's threshold on C(x)
   * @param keepUndefined whether the filter keeps a prompt whose C(x) is undefined
   */
  public static Paired nextPair(
      AdaptiveSampling currentRule, List<Known> current, Double currentM0, AdaptiveSampling previousRule,
      List<Known> previous, Double previousM0, double threshold, boolean keepUndefined) {
    List<Scored> cur = currentRule.scored(current);
    List<Scored> prev = previousRule.scored(previous);
    List<TreeSet<String>> uncertain = List.of(unknown(current), unknown(previous));
    uncertain.get(0).addAll(currentRule.margin(cur, currentM0));
    uncertain.get(1).addAll(previousRule.margin(prev, previousM0));
    if (currentM0 != null) {
      uncertain.get(0).addAll(extremes(cur, currentRule.zChoice));
    }
    if (previousM0 != null) {
      uncertain.get(1).addAll(extremes(prev, previousRule.zChoice));
    }
    List<Map<String, Scored>> byId = List.of(new TreeMap<>(), new TreeMap<>());
    cur.forEach(x -> byId.get(0).put(x.id, x));
    prev.forEach(x -> byId.get(1).put(x.id, x));
    List<String> ids = new ArrayList<>(byId.get(0).keySet());
    ids.retainAll(byId.get(1).keySet());
    int n = ids.size();
    int[][] pairs = new int[n * (n - 1) / 2][];
    int[][] signs = new int[2][pairs.length];
    // close[direction][side][pair]: direction 0 toward agreement (z_rank), 1 away from it (z_rank_away)
    boolean[][][] close = new boolean[2][2][pairs.length];
    double[][] zRank = {{currentRule.zRank, previousRule.zRank}, {currentRule.zRankAway, previousRule.zRankAway}};
    int k = 0;
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        pairs[k] = new int[] {a, b};
        for (int side = 0; side < 2; side++) {
          Scored x = byId.get(side).get(ids.get(a));
          Scored y = byId.get(side).get(ids.get(b));
          signs[side][k] = (int) Math.signum(x.mean - y.mean);
          close[0][side][k] = couldSwap(x, y, zRank[0][side]);
          close[1][side][k] = couldSwap(x, y, zRank[1][side]);
        }
        k++;
      }
    }
    boolean passes = passes(signs[0], signs[1], threshold, keepUndefined);
    for (int toward : new int[] {1, -1}) {
      // Every close pair set as the other side orders it (toward = 1) or the reverse (-1), both sides at once; a
      // pair the other side ties has no direction to go and stays. One flip at a time misses prompts two flips cross.
      int[][] moved = {signs[0].clone(), signs[1].clone()};
      List<TreeSet<String>> movers = List.of(new TreeSet<>(), new TreeSet<>());
      for (int side = 0; side < 2; side++) {
        for (int p = 0; p < pairs.length; p++) {
          int target = toward * signs[1 - side][p];
          if (close[toward == 1 ? 0 : 1][side][p] && target != 0 && moved[side][p] != target) {
            moved[side][p] = target;
            movers.get(side).add(ids.get(pairs[p][0]));
            movers.get(side).add(ids.get(pairs[p][1]));
          }
        }
      }
      if (passes(moved[0], moved[1], threshold, keepUndefined) != passes) {
        uncertain.get(0).addAll(movers.get(0));
        uncertain.get(1).addAll(movers.get(1));
      }
    }
    return new Paired(currentRule.more(current, uncertain.get(0)), previousRule.more(previous, uncertain.get(1)));
  }

  /**
   * One round of a consistency filter's two judges.
   *
   * @param current what the current judge asks next, sorted by candidate id
   * @param previous what the previous judge asks next, sorted by candidate id
   */
  public record Paired(List<More> current, List<More> previous) {
    public Paired {
      current = List.copyOf(current);
      previous = List.copyOf(previous);
    }
  }

  /**
   * Whether the consistency filter keeps a prompt whose pairs the two sides order as {@code cur} and {@code prev}
   * (each -1, 0 or 1 per pair): Kendall's tau-b as {@code PromptConsistency} computes it, {@code C(x) = (tau_b + 1) /
   * 2 >= threshold}; undefined (fewer than one pair, or a side all tied) passes only with {@code keepUndefined}.
   */
  static boolean passes(int[] cur, int[] prev, double threshold, boolean keepUndefined) {
    long pairs = cur.length;
    long tiedCur = 0;
    long tiedPrev = 0;
    long s = 0;
    for (int i = 0; i < cur.length; i++) {
      tiedCur += cur[i] == 0 ? 1 : 0;
      tiedPrev += prev[i] == 0 ? 1 : 0;
      s += (long) cur[i] * prev[i];
    }
    if (pairs == 0 || tiedCur == pairs || tiedPrev == pairs) {
      return keepUndefined;
    }
    double tau = s / Math.sqrt((double) (pairs - tiedCur) * (double) (pairs - tiedPrev));
    return !((tau + 1) / 2 < threshold);
  }

  /** Each candidate with an ok score, with its mean and standard error. */
  private List<Scored> scored(List<Known> prompt) {
    List<Scored> scored = new ArrayList<>();
    for (Known k : prompt) {
      if (!k.scores().isEmpty()) {
        scored.add(Scored.of(k, sdFloor));
      }
    }
    return scored;
  }

  /** Rule 4: judged, but no ok score yet. */
  private static TreeSet<String> unknown(List<Known> prompt) {
    TreeSet<String> out = new TreeSet<>();
    for (Known k : prompt) {
      if (k.scores().isEmpty() && k.asked() > 0) {
        out.add(k.candidateId());
      }
    }
    return out;
  }

  /** Rules 1-3: the best, the worst and the margin. */
  private TreeSet<String> choice(List<Scored> scored, Double m0) {
    TreeSet<String> uncertain = margin(scored, m0);
    uncertain.addAll(extremes(scored, z));
    return uncertain;
  }

  /** Rules 1 and 2 at half-width {@code zz}: the best and the worst, with each rival whose interval reaches theirs. */
  private static TreeSet<String> extremes(List<Scored> scored, double zz) {
    TreeSet<String> uncertain = new TreeSet<>();
    if (scored.size() < 2) {
      return uncertain;
    }
    Scored best = scored.stream().min(BEST_FIRST).orElseThrow();
    Scored worst = scored.stream().min(WORST_FIRST).orElseThrow();
    for (Scored s : scored) {
      if (s != best && s.mean + zz * s.se >= best.mean - zz * best.se) {
        uncertain.add(s.id);
        uncertain.add(best.id);
      }
      if (s != worst && s.mean - zz * s.se <= worst.mean + zz * worst.se) {
        uncertain.add(s.id);
        uncertain.add(worst.id);
      }
    }
    return uncertain;
  }

  /** Rule 3: the best and the worst when their margin could fall on the other side of {@code m0} (null: none). */
  private TreeSet<String> margin(List<Scored> scored, Double m0) {
    TreeSet<String> uncertain = new TreeSet<>();
    if (scored.size() < 2 || m0 == null) {
      return uncertain;
    }
    Scored best = scored.stream().min(BEST_FIRST).orElseThrow();
    Scored worst = scored.stream().min(WORST_FIRST).orElseThrow();
    if (Math.abs(best.mean - worst.mean - m0) < z * Math.sqrt(best.se * best.se + worst.se * worst.se)) {
      uncertain.add(best.id);
      uncertain.add(worst.id);
    }
    return uncertain;
  }

  /** Whether two candidates' order could still change: means within {@code zz} standard errors of their difference, or equal. */
  private static boolean couldSwap(Scored x, Scored y, double zz) {
    return Math.abs(x.mean - y.mean) < zz * Math.sqrt(x.se * x.se + y.se * y.se) || x.mean == y.mean;
  }

  /** The next samples of the uncertain candidates below {@code n_max}, sorted by id. */
  private List<More> more(List<Known> prompt, TreeSet<String> uncertain) {
    List<More> out = new ArrayList<>();
    for (Known k : prompt.stream().sorted(Comparator.comparing(Known::candidateId)).toList()) {
      if (uncertain.contains(k.candidateId()) && k.asked() < nMax) {
        out.add(new More(k.candidateId(), k.asked(), Math.min(nMax, k.asked() + step)));
      }
    }
    return out;
  }

  private static final Comparator<Scored> BEST_FIRST =
      Comparator.comparingDouble((Scored s) -> -s.mean).thenComparing(s -> s.id);
  private static final Comparator<Scored> WORST_FIRST =
      Comparator.comparingDouble((Scored s) -> s.mean).thenComparing(s -> s.id);

  private record Scored(String id, double mean, double se) {
    static Scored of(Known k, double sdFloor) {
      int n = k.scores().size();
      double mean = k.scores().stream().mapToInt(Integer::intValue).average().orElseThrow();
      double ss = 0;
      for (int s : k.scores()) {
        ss += (s - mean) * (s - mean);
      }
      double sd = n < 2 ? 0 : Math.sqrt(ss / (n - 1));
      return new Scored(k.candidateId(), mean, Math.max(sd, sdFloor) / Math.sqrt(n));
    }
  }
}
