package dev.assay.judging;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
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
 *       |m_a - m_b| < z sqrt(se_a² + se_b²)} (equal means included).
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
 */
public record AdaptiveSampling(Integer nMin, Integer nMax, Integer step, Double z, Double sdFloor) implements Serializable {
  public AdaptiveSampling {
    nMin = nMin == null ? 2 : nMin;
    nMax = nMax == null ? Math.max(5, nMin) : nMax;
    step = step == null ? 1 : step;
    z = z == null ? 1.0 : z;
    sdFloor = sdFloor == null ? 0.5 : sdFloor;
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
    List<Scored> scored = new ArrayList<>();
    TreeSet<String> uncertain = new TreeSet<>();
    for (Known k : prompt) {
      if (k.scores().isEmpty()) {
        if (k.asked() > 0) {
          uncertain.add(k.candidateId()); // rule 4
        }
        continue;
      }
      scored.add(Scored.of(k, sdFloor));
    }
    if (scored.size() >= 2) {
      Scored best = scored.stream().min(BEST_FIRST).orElseThrow();
      Scored worst = scored.stream().min(WORST_FIRST).orElseThrow();
      for (Scored s : scored) {
        if (s != best && s.mean + z * s.se >= best.mean - z * best.se) {
          uncertain.add(s.id);
          uncertain.add(best.id);
        }
        if (s != worst && s.mean - z * s.se <= worst.mean + z * worst.se) {
          uncertain.add(s.id);
          uncertain.add(worst.id);
        }
      }
      if (m0 != null
          && Math.abs(best.mean - worst.mean - m0) < z * Math.sqrt(best.se * best.se + worst.se * worst.se)) {
        uncertain.add(best.id);
        uncertain.add(worst.id);
      }
      if (ranking) {
        // Rule 5. Rules 1 and 2 already guard every pair that holds the best or the worst; this adds the middle
        // pairs, whose order moves tau-b as much as any other pair's. The test is on the difference of the means
        // (narrower than two intervals touching), which on seed 7 kept the consistency decision at fewer samples.
        for (int a = 0; a < scored.size(); a++) {
          for (int b = a + 1; b < scored.size(); b++) {
            Scored x = scored.get(a);
            Scored y = scored.get(b);
            if (Math.abs(x.mean - y.mean) < z * Math.sqrt(x.se * x.se + y.se * y.se) || x.mean == y.mean) {
              uncertain.add(x.id);
              uncertain.add(y.id);
            }
          }
        }
      }
    }
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
