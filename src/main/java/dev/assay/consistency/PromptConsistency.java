package dev.assay.consistency;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.assay.stats.KendallResult;
import dev.assay.stats.KendallTau;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How consistently the current and the previous iteration's models rank the responses of one prompt (CREAM):
 * {@code C(x) = (tau_b(rank_t, rank_{t-1}) + 1) / 2}, in [0, 1], 1 when both order every pair alike.
 *
 * <p>Only candidates with a defined reward on both sides are ranked; the others are listed in {@code unranked}.
 * Tau-b is tie-aware: a pair tied on either side counts as neither concordant nor discordant, and the denominator
 * shrinks accordingly, so Likert-scale ties do not make the value depend on how ties would have been broken.
 *
 * <p><b>Undefined.</b> {@code tauB} and {@code consistency} are null (JSON null), never 0.5, and {@code
 * undefinedReason} says why: {@value #TOO_FEW_CANDIDATES} (fewer than two ranked candidates), {@value
 * #ALL_TIED_CURRENT}, {@value #ALL_TIED_PREVIOUS} or {@value #ALL_TIED_BOTH} (every ranked candidate has the same
 * reward on that side: that side expresses no ranking, and tau-b divides by zero).
 *
 * @param promptId the prompt
 * @param candidates the ranked candidates, sorted by id
 * @param unranked ids of candidates seen on either side without a defined reward on both, sorted
 * @param tauB Kendall's tau-b between the two rankings; null when undefined
 * @param consistency {@code (tauB + 1) / 2}; null when undefined
 * @param concordant pairs of ranked candidates both sides order alike
 * @param discordant pairs the two sides order oppositely
 * @param tiedCurrent pairs tied on the current side (including those tied on both)
 * @param tiedPrevious pairs tied on the previous side (including those tied on both)
 * @param undefinedReason why C(x) is undefined; null when it is defined
 */
public record PromptConsistency(
    String promptId,
    List<RankedCandidate> candidates,
    List<String> unranked,
    @JsonInclude(ALWAYS) Double tauB,
    @JsonInclude(ALWAYS) Double consistency,
    long concordant,
    long discordant,
    long tiedCurrent,
    long tiedPrevious,
    String undefinedReason) {
  public static final String TOO_FEW_CANDIDATES = "too_few_candidates";
  public static final String ALL_TIED_CURRENT = "all_tied_current";
  public static final String ALL_TIED_PREVIOUS = "all_tied_previous";
  public static final String ALL_TIED_BOTH = "all_tied_both";
  public static final Set<String> UNDEFINED_REASONS =
      Set.of(TOO_FEW_CANDIDATES, ALL_TIED_CURRENT, ALL_TIED_PREVIOUS, ALL_TIED_BOTH);

  public PromptConsistency {
    Objects.requireNonNull(promptId, "promptId");
    candidates = List.copyOf(candidates);
    unranked = List.copyOf(unranked);
    if ((tauB == null) != (consistency == null) || (tauB == null) == (undefinedReason == null)) {
      throw new IllegalArgumentException(
          "tau_b and consistency are null exactly when undefined_reason is given: " + promptId);
    }
    if (undefinedReason != null && !UNDEFINED_REASONS.contains(undefinedReason)) {
      throw new IllegalArgumentException("undefined_reason must be one of " + new TreeSet<>(UNDEFINED_REASONS)
          + ": " + undefinedReason);
    }
    if (tauB != null) {
      if (!(tauB >= -1 && tauB <= 1)) {
        throw new IllegalArgumentException("tau_b must be in [-1, 1]: " + tauB);
      }
      if (Math.abs(consistency - (tauB + 1) / 2) > 1e-12) {
        throw new IllegalArgumentException("consistency must be (tau_b + 1) / 2: " + consistency + " vs " + tauB);
      }
    }
  }

  /** Whether C(x) could be measured. */
  public boolean defined() {
    return consistency != null;
  }

  /**
   * Measures one prompt.
   *
   * @param current candidate id to the current iteration's reward; null or NaN = no reward
   * @param previous candidate id to the previous iteration's reward; null or NaN = no reward
   */
  public static PromptConsistency of(String promptId, Map<String, Double> current, Map<String, Double> previous) {
    Objects.requireNonNull(promptId, "promptId");
    TreeSet<String> all = new TreeSet<>(current.keySet());
    all.addAll(previous.keySet());
    List<String> ids = new ArrayList<>();
    List<String> unranked = new ArrayList<>();
    for (String id : all) {
      if (usable(current.get(id)) && usable(previous.get(id))) {
        ids.add(id);
      } else {
        unranked.add(id);
      }
    }
    int n = ids.size();
    double[] cur = new double[n];
    double[] prev = new double[n];
    for (int i = 0; i < n; i++) {
      cur[i] = current.get(ids.get(i));
      prev[i] = previous.get(ids.get(i));
    }
    double[] curRank = ranks(cur);
    double[] prevRank = ranks(prev);
    List<RankedCandidate> ranked = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ranked.add(new RankedCandidate(ids.get(i), cur[i], prev[i], curRank[i], prevRank[i]));
    }
    if (n < 2) {
      return new PromptConsistency(promptId, ranked, unranked, null, null, 0, 0, 0, 0, TOO_FEW_CANDIDATES);
    }
    // Tau on the ranks equals tau on the rewards (ranks are a monotone map of them) and ranks are always finite,
    // so an infinite reward (a log-prob of -inf) still ranks rather than failing the statistic.
    KendallResult k = KendallTau.compute(curRank, prevRank);
    long pairs = k.pairs();
    boolean tiedCur = k.tiedX() == pairs;
    boolean tiedPrev = k.tiedY() == pairs;
    if (tiedCur || tiedPrev) {
      String reason = tiedCur && tiedPrev ? ALL_TIED_BOTH : tiedCur ? ALL_TIED_CURRENT : ALL_TIED_PREVIOUS;
      return new PromptConsistency(
          promptId, ranked, unranked, null, null, k.concordant(), k.discordant(), k.tiedX(), k.tiedY(), reason);
    }
    double tau = k.tauB();
    return new PromptConsistency(
        promptId, ranked, unranked, tau, (tau + 1) / 2, k.concordant(), k.discordant(), k.tiedX(), k.tiedY(), null);
  }

  private static boolean usable(Double reward) {
    return reward != null && !Double.isNaN(reward);
  }

  /** Fractional ranks, 1 = largest value; ties share the mean of their positions. -0.0 ties with 0.0. */
  static double[] ranks(double[] values) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[b] + 0.0, values[a] + 0.0));
    double[] rank = new double[n];
    int start = 0;
    while (start < n) {
      int end = start + 1;
      while (end < n && values[order[end]] + 0.0 == values[order[start]] + 0.0) {
        end++;
      }
      double shared = (start + 1 + end) / 2.0; // mean of positions start+1 .. end
      for (int i = start; i < end; i++) {
        rank[order[i]] = shared;
      }
      start = end;
    }
    return rank;
  }
}
