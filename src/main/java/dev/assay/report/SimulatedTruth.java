package dev.assay.report;

import dev.assay.consensus.ConsensusPair;
import dev.assay.consensus.RejectedPair;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.consistency.PromptConsistency;
import dev.assay.consistency.RejectedPrompt;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.curation.pairs.RewardHackingGuard;
import dev.assay.generation.Candidate;
import dev.assay.run.FilterGains;
import dev.assay.run.RunDirectory;
import dev.assay.sim.SimWorld;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each pair filter was worth, judged by a truth the run's judges never see: on a simulated run the simulator's
 * hidden quality ({@link SimWorld#trueQuality}); on a run whose imported candidates carry gold scores, the gold
 * ({@link #goldGains}). On real endpoints without gold there is no truth to compare with, and nothing here runs.
 *
 * <p>The unfiltered set is every prompt's pair by the primary reward model (its best against its worst candidate),
 * read back from what the consensus stage wrote: the pairs it kept ({@code pairs/consensus.jsonl}) and those it
 * rejected with a pair ({@code rejected/consensus.jsonl}). The filters, in the order the run applies them: consensus;
 * consistency (in {@code filter} mode: the prompts the stage kept); the reward-hacking guard; length control. With
 * consistency in {@code report} mode the run does not filter on it; its row then comes last, measured on what
 * consensus kept, as what the filter would have done. Each filter is decided by the same rules the stages apply
 * ({@link RewardHackingGuard#flagged}, {@link PairSpec#tooLong}, the stage's own files), so in filter mode the pairs
 * that survive every row are exactly {@code pairs/pairs.jsonl}.
 *
 * <p>Failure modes: {@link java.io.UncheckedIOException} when a run file cannot be read; a pair whose candidate is
 * missing from {@code candidates/} is left out (the pair stage rejects it too, as {@code missing_candidate}).
 */
public final class SimulatedTruth {
  /** One point of the funnel: pairs whose chosen side is truly better, of all pairs, after a filter. */
  public record Share(String stage, long better, long pairs) {
    public double rate() {
      return pairs == 0 ? Double.NaN : (double) better / pairs;
    }

    public String line() {
      return String.format(Locale.ROOT, "%s %.1f%% (%d/%d)", stage, 100 * rate(), better, pairs);
    }
  }

  private SimulatedTruth() {}

  /**
   * Each filter's gain in truly-better rate with its interval, and consistency's filter mode against report mode.
   *
   * @param consistency the recipe's consistency stage, or null when it has none
   * @param pairs the recipe's pair building (guard, length control)
   * @param labelSmoothing the run's set-level {@code 1 - C}, or null when not measured
   */
  public static FilterGains gains(RunDirectory dir, ConsistencySpec consistency, PairSpec pairs, Double labelSmoothing) {
    return gains(verdicts(dir, consistency, pairs), consistency, pairs, labelSmoothing, FilterGains.REPLICATES, FilterGains.SEED);
  }

  /**
   * The same table against gold instead of the simulator, for a run whose imported candidates carry a {@code
   * gold_score} ({@link dev.assay.generation.CandidateFile#goldScores}): a pair is right when its chosen candidate's
   * gold score is the higher; pairs whose two sides tie on gold, or lack a gold score, are left out of every row.
   *
   * @param gold candidate id to its gold score
   */
  public static FilterGains goldGains(
      RunDirectory dir, ConsistencySpec consistency, PairSpec pairs, Double labelSmoothing, Map<String, Double> gold) {
    Verdicts v = verdicts(dir, consistency, pairs, c -> gold.get(c.id()), false);
    return withTruth(gains(v, consistency, pairs, labelSmoothing, FilterGains.REPLICATES, FilterGains.SEED), "gold");
  }

  private static FilterGains withTruth(FilterGains g, String truth) {
    return new FilterGains(truth, g.unit(), g.replicates(), g.seed(), g.level(), g.unfiltered(), g.unfilteredRight(),
        g.filters(), g.consistencyModes());
  }

  /**
   * Every unfiltered pair of a run (sorted by prompt) and what each check says about it: whether its chosen side is
   * truly better, and whether consensus kept it, consistency passes it, the guard passes it and length control passes
   * it (true where the check is off), with the prompt's C(x) (null when undefined or not measured). Runs' verdicts
   * concatenate ({@link #concat}), so figures can be pooled over runs.
   */
  public record Verdicts(
      boolean[] right, boolean[] consensus, boolean[] consistent, boolean[] guard, boolean[] length, Double[] consistency) {
    public int size() {
      return right.length;
    }

    /** The pairs of several runs, in the order given. */
    public static Verdicts concat(List<Verdicts> runs) {
      int n = runs.stream().mapToInt(Verdicts::size).sum();
      Verdicts out = new Verdicts(new boolean[n], new boolean[n], new boolean[n], new boolean[n], new boolean[n], new Double[n]);
      int at = 0;
      for (Verdicts v : runs) {
        System.arraycopy(v.right, 0, out.right, at, v.size());
        System.arraycopy(v.consensus, 0, out.consensus, at, v.size());
        System.arraycopy(v.consistent, 0, out.consistent, at, v.size());
        System.arraycopy(v.guard, 0, out.guard, at, v.size());
        System.arraycopy(v.length, 0, out.length, at, v.size());
        System.arraycopy(v.consistency, 0, out.consistency, at, v.size());
        at += v.size();
      }
      return out;
    }
  }

  /** The verdicts on a simulated run's unfiltered pairs (see {@link Verdicts}). */
  public static Verdicts verdicts(RunDirectory dir, ConsistencySpec consistency, PairSpec pairs) {
    // The simulator's qualities never lack and a tie counts as wrong, as the demo's pinned shares count it.
    return verdicts(dir, consistency, pairs, c -> SimWorld.trueQuality(c.response()), true);
  }

  /**
   * @param quality a candidate's true quality, or null when unknown (the pair is then left out)
   * @param tiesWrong whether a pair whose two sides are equally good counts as wrong (else it is left out)
   */
  private static Verdicts verdicts(
      RunDirectory dir, ConsistencySpec consistency, PairSpec pairs, java.util.function.Function<Candidate, Double> quality,
      boolean tiesWrong) {
    Map<String, Candidate> candidates = new HashMap<>();
    dir.forEach("candidates", "candidates.jsonl", Candidate.class, c -> candidates.put(c.id(), c));
    // Sorted by prompt, so that the bootstrap's draws do not depend on the order the files were written in.
    Map<String, String[]> unfiltered = new TreeMap<>();
    Set<String> consensusKept = new HashSet<>();
    dir.forEach("pairs", "consensus.jsonl", ConsensusPair.class, p -> {
      unfiltered.put(p.promptId(), new String[] {p.chosen(), p.rejected()});
      consensusKept.add(p.promptId());
    });
    dir.forEach("rejected", "consensus.jsonl", RejectedPair.class, p -> {
      if (p.chosen() != null && p.rejected() != null) {
        unfiltered.put(p.promptId(), new String[] {p.chosen(), p.rejected()});
      }
    });
    unfiltered.values().removeIf(p -> {
      if (!candidates.containsKey(p[0]) || !candidates.containsKey(p[1])) {
        return true;
      }
      Double chosen = quality.apply(candidates.get(p[0]));
      Double rejected = quality.apply(candidates.get(p[1]));
      return chosen == null || rejected == null || (!tiesWrong && chosen.doubleValue() == rejected.doubleValue());
    });

    Map<String, Double> c = new HashMap<>();
    Set<String> consistencyKept = new HashSet<>();
    if (consistency != null) {
      dir.forEach("consistency", "consistency.jsonl", PromptConsistency.class, pc -> {
        consistencyKept.add(pc.promptId());
        if (pc.consistency() != null) {
          c.put(pc.promptId(), pc.consistency());
        }
      });
      dir.forEach("rejected", "consistency.jsonl", RejectedPrompt.class, rp -> {
        if (rp.consistency() != null) {
          c.put(rp.promptId(), rp.consistency());
        }
      });
    }

    int n = unfiltered.size();
    Verdicts v = new Verdicts(new boolean[n], new boolean[n], new boolean[n], new boolean[n], new boolean[n], new Double[n]);
    int i = 0;
    for (var e : unfiltered.entrySet()) {
      Candidate chosen = candidates.get(e.getValue()[0]);
      Candidate rejected = candidates.get(e.getValue()[1]);
      v.right[i] = quality.apply(chosen) > quality.apply(rejected);
      v.consensus[i] = consensusKept.contains(e.getKey());
      v.consistency[i] = c.get(e.getKey());
      if (consistency == null) {
        v.consistent[i] = true;
      } else {
        v.consistent[i] = consistency.filters()
            ? consistencyKept.contains(e.getKey())
            : v.consistency[i] == null ? consistency.keepUndefined() : v.consistency[i] >= consistency.threshold();
      }
      v.guard[i] = !pairs.guard() || !RewardHackingGuard.flagged(chosen.response());
      v.length[i] = !pairs.tooLong(chosen.response(), rejected.response());
      i++;
    }
    return v;
  }

  /**
   * The filter table of {@code v}, as {@link #gains(RunDirectory, ConsistencySpec, PairSpec, Double)} gives it for
   * one run; for pooled verdicts, the pooled table.
   */
  public static FilterGains gains(
      Verdicts v, ConsistencySpec consistency, PairSpec pairs, Double labelSmoothing, int replicates, long seed) {
    boolean[] right = v.right();
    boolean[] all = new boolean[v.size()];
    java.util.Arrays.fill(all, true);
    List<FilterGains.Row> rows = new ArrayList<>();
    boolean[] in = step(rows, "consensus", true, right, all, v.consensus(), replicates, seed);
    String consistencyName = consistency == null ? null : "consistency C(x) >= " + consistency.threshold();
    if (consistency != null && consistency.filters()) {
      in = step(rows, consistencyName, true, right, in, v.consistent(), replicates, seed);
    }
    if (pairs.guard()) {
      in = step(rows, "reward-hacking guard", true, right, in, v.guard(), replicates, seed);
    }
    if (pairs.maxLengthRatio() != null) {
      step(rows, "length control <= " + pairs.maxLengthRatio() + "x", true, right, in, v.length(), replicates, seed);
    }
    List<FilterGains.Mode> modes = new ArrayList<>();
    if (consistency != null) {
      if (!consistency.filters()) {
        step(rows, consistencyName, false, right, v.consensus(), v.consistent(), replicates, seed);
      }
      boolean[] reportMode = and(and(v.consensus(), v.guard()), v.length());
      boolean[] filterMode = and(reportMode, v.consistent());
      modes.add(mode(ConsistencySpec.FILTER, consistency.filters(), right, filterMode, v.consistency(), labelSmoothing));
      modes.add(mode(ConsistencySpec.REPORT, !consistency.filters(), right, reportMode, v.consistency(), labelSmoothing));
    }
    long unfilteredRight = 0;
    for (boolean r : right) {
      unfilteredRight += r ? 1 : 0;
    }
    return new FilterGains("simulator", "prompt", replicates, seed, FilterGains.LEVEL, v.size(), unfilteredRight, rows, modes);
  }

  /**
   * The funnel as the manifest's notes print it: unfiltered, then after each filter the run applied, then (report
   * mode) what consistency would keep of consensus's pairs.
   */
  public static List<Share> shares(FilterGains g) {
    List<Share> out = new ArrayList<>();
    out.add(new Share("unfiltered best-vs-worst", g.unfilteredRight(), g.unfiltered()));
    boolean first = true;
    for (FilterGains.Row r : g.filters()) {
      String stage = first ? "after " + r.filter() : r.applied() ? "+ " + r.filter() : "consensus, then " + r.filter() + " (not applied)";
      out.add(new Share(stage, r.keptRight(), r.kept()));
      first = false;
    }
    return out;
  }

  private static boolean[] step(
      List<FilterGains.Row> rows, String name, boolean applied, boolean[] right, boolean[] input, boolean[] pass,
      int replicates, long seed) {
    boolean[] kept = and(input, pass);
    rows.add(FilterGains.row(name, applied, right, input, kept, replicates, seed));
    return kept;
  }

  private static FilterGains.Mode mode(
      String mode, boolean ran, boolean[] right, boolean[] kept, Double[] perPair, Double labelSmoothing) {
    long pairs = 0;
    long good = 0;
    double cSum = 0;
    long cN = 0;
    double perPairWeight = 0;
    for (int i = 0; i < right.length; i++) {
      if (!kept[i]) {
        continue;
      }
      pairs++;
      good += right[i] ? 1 : 0;
      // A pair smoothed by e puts weight 1 - e on its chosen side and e on its rejected side (cDPO).
      double ci = perPair[i] == null ? 1.0 : perPair[i];
      perPairWeight += right[i] ? ci : 1 - ci;
      if (perPair[i] != null) {
        cSum += perPair[i];
        cN++;
      }
    }
    Double rate = pairs == 0 ? null : (double) good / pairs;
    Double setLevel = rate == null || labelSmoothing == null ? null : (1 - labelSmoothing) * rate + labelSmoothing * (1 - rate);
    return new FilterGains.Mode(mode, ran, pairs, good, rate, cN == 0 ? null : cSum / cN, labelSmoothing, setLevel,
        pairs == 0 ? null : perPairWeight / pairs);
  }

  private static boolean[] and(boolean[] a, boolean[] b) {
    boolean[] out = new boolean[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] && b[i];
    }
    return out;
  }
}
