package dev.assay.report;

import dev.assay.consensus.ConsensusPair;
import dev.assay.consistency.PromptConsistency;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.curation.pairs.RewardHackingGuard;
import dev.assay.generation.Candidate;
import dev.assay.rewards.CandidateReward;
import dev.assay.run.RunDirectory;
import dev.assay.sim.SimWorld;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * On a simulated run only: how often the chosen response of a pair is truly better, using the simulator's hidden
 * quality ({@link SimWorld#trueQuality}), after each filter in turn. This is how the demo shows what each filter is
 * worth; on real endpoints there is no truth to compare with, and nothing here runs.
 *
 * <p>Filters applied in turn, as pair building applies them: unfiltered best-vs-worst by the primary reward model;
 * the pairs the consensus kept; of those, the prompts whose consistency C(x) reaches the threshold; then the
 * reward-hacking guard; then length control. (With consistency in report mode the run's own pairs skip the
 * consistency step; the share is still shown, as what the filter would do.)
 */
public final class SimulatedTruth {
  /** One filter stage: pairs whose chosen side is truly better, of all pairs. */
  public record Share(String stage, long better, long pairs) {
    public double rate() {
      return pairs == 0 ? Double.NaN : (double) better / pairs;
    }

    public String line() {
      return String.format(Locale.ROOT, "%s %.1f%% (%d/%d)", stage, 100 * rate(), better, pairs);
    }
  }

  private SimulatedTruth() {}

  public static List<Share> shares(RunDirectory dir, String primary, Double consistencyThreshold, PairSpec pairs) {
    Map<String, Candidate> candidates = new HashMap<>();
    dir.forEach("candidates", "candidates.jsonl", Candidate.class, c -> candidates.put(c.id(), c));
    List<Share> out = new ArrayList<>();
    Map<String, CandidateReward[]> bestWorst = new HashMap<>();
    dir.forEach("rewards", "rewards.jsonl", CandidateReward.class, r -> {
      if (!r.rewardModel().equals(primary) || !r.defined()) {
        return;
      }
      CandidateReward[] bw = bestWorst.computeIfAbsent(r.promptId(), k -> new CandidateReward[2]);
      if (bw[0] == null || r.reward() > bw[0].reward()) {
        bw[0] = r;
      }
      if (bw[1] == null || r.reward() < bw[1].reward()) {
        bw[1] = r;
      }
    });
    long better = 0;
    long unfiltered = 0;
    for (CandidateReward[] bw : bestWorst.values()) {
      if (bw[0].reward() > bw[1].reward()) {
        unfiltered++;
        better += truer(candidates, bw[0].candidateId(), bw[1].candidateId()) ? 1 : 0;
      }
    }
    out.add(new Share("unfiltered best-vs-worst", better, unfiltered));

    List<ConsensusPair> kept = dir.read("pairs", "consensus.jsonl", ConsensusPair.class);
    out.add(count("after consensus", kept, candidates));
    if (consistencyThreshold != null) {
      Map<String, Double> c = new HashMap<>();
      for (PromptConsistency pc : dir.read("consistency", "consistency.jsonl", PromptConsistency.class)) {
        if (pc.consistency() != null) {
          c.put(pc.promptId(), pc.consistency());
        }
      }
      kept = kept.stream().filter(p -> c.getOrDefault(p.promptId(), -1.0) >= consistencyThreshold).toList();
      out.add(count("+ consistency C(x) >= " + consistencyThreshold, kept, candidates));
    }
    if (pairs.guard()) {
      kept = kept.stream().filter(p -> !RewardHackingGuard.flagged(candidates.get(p.chosen()).response())).toList();
      out.add(count("+ reward-hacking guard", kept, candidates));
    }
    if (pairs.maxLengthRatio() != null) {
      kept =
          kept.stream()
              .filter(p -> words(candidates.get(p.chosen()).response()) <= pairs.maxLengthRatio() * Math.max(1, words(candidates.get(p.rejected()).response())))
              .toList();
      out.add(count("+ length control <= " + pairs.maxLengthRatio() + "x", kept, candidates));
    }
    return out;
  }

  private static Share count(String stage, List<ConsensusPair> pairs, Map<String, Candidate> candidates) {
    long better = 0;
    for (ConsensusPair p : pairs) {
      better += truer(candidates, p.chosen(), p.rejected()) ? 1 : 0;
    }
    return new Share(stage, better, pairs.size());
  }

  private static long words(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static boolean truer(Map<String, Candidate> candidates, String chosen, String rejected) {
    return SimWorld.trueQuality(candidates.get(chosen).response()) > SimWorld.trueQuality(candidates.get(rejected).response());
  }
}
