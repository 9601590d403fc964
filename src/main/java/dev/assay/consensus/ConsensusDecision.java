package dev.assay.consensus;

import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The consensus rules for one prompt, as a pure function, so that they read in one place and test without a
 * pipeline. Exactly one of {@code kept} and {@code rejected} is set. Public so that a plain loop (the CPU
 * benchmark's reference) can apply the very rules {@link FilterByConsensus} applies.
 */
public record ConsensusDecision(ConsensusPair kept, RejectedPair rejected) {

  /**
   * Decides one prompt.
   *
   * @param primaryRewards the primary's rewards of the prompt's candidates, one per candidate (undefined ones are
   *     skipped)
   * @param preferences the voters' preferences for the prompt, at most one per voter and pair
   * @param voters the voters' names, sorted; {@code m} is their number
   */
  public static ConsensusDecision decide(
      String promptId,
      List<CandidateReward> primaryRewards,
      List<PairPreference> preferences,
      List<String> voters,
      ConsensusSpec spec) {
    int k = spec.k();
    int m = voters.size();
    double c = spec.c();
    double m0 = spec.m0();
    CandidateReward best = null;
    CandidateReward worst = null;
    int rankable = 0;
    for (CandidateReward r : primaryRewards) {
      if (!r.defined()) {
        continue;
      }
      rankable++;
      // Ties go to the smaller candidate id: deterministic whatever order the runner delivers, and harmless, because
      // the primary cannot tell tied candidates apart and the voters must still agree on whichever pair results.
      if (best == null || better(r, best)) {
        best = r;
      }
      if (worst == null || worse(r, worst)) {
        worst = r;
      }
    }
    if (rankable < 2 || best.reward() == worst.reward()) {
      String detail =
          rankable < 2
              ? rankable + " candidate(s) with a defined " + spec.primary() + " reward; a pair needs 2"
              : "all " + rankable + " candidates tie at " + spec.primary() + " reward " + best.reward();
      return new ConsensusDecision(
          null,
          new RejectedPair(promptId, RejectedPair.NO_PRIMARY_PAIR, detail, null, null, spec.primary(), null, null, null,
              rankable, List.of(), k, m, c, m0));
    }
    String chosen = best.candidateId();
    String rejected = worst.candidateId();
    double margin = best.reward() - worst.reward();
    List<Vote> votes = votes(chosen, rejected, preferences, voters, c);
    long agree = votes.stream().filter(Vote::agrees).count();
    long against = votes.stream().filter(Vote::opposes).count();

    String reason;
    String detail;
    if (margin < m0) {
      reason = RejectedPair.MARGIN_BELOW_M0;
      detail = "primary margin " + num(margin) + " < m0 " + num(m0);
    } else if (agree >= k && against < k) {
      return new ConsensusDecision(
          new ConsensusPair(promptId, chosen, rejected, spec.primary(), best.reward(), worst.reward(), margin, votes, k,
              m, c, m0),
          null);
    } else if (agree >= k) {
      reason = RejectedPair.SPLIT;
      detail = agree + " of " + m + " voters prefer " + chosen + " and " + against + " prefer " + rejected
          + " with p >= " + num(c) + "; both reach k = " + k;
    } else if (against >= k) {
      reason = RejectedPair.AGAINST_PRIMARY;
      detail = against + " of " + m + " voters prefer the primary's rejected " + rejected + " with p >= " + num(c)
          + "; " + agree + " prefer its chosen " + chosen + "; k = " + k;
    } else if (agree > 0 && against > 0) {
      reason = RejectedPair.SPLIT;
      detail = agree + " of " + m + " voters prefer " + chosen + " and " + against + " prefer " + rejected
          + " with p >= " + num(c) + "; neither reaches k = " + k;
    } else {
      reason = RejectedPair.TOO_FEW_AGREE;
      detail = agree + " of " + m + " voters prefer " + chosen + " with p >= " + num(c) + "; k = " + k;
    }
    return new ConsensusDecision(
        null,
        new RejectedPair(promptId, reason, detail, chosen, rejected, spec.primary(), best.reward(), worst.reward(),
            margin, rankable, votes, k, m, c, m0));
  }

  private static boolean better(CandidateReward a, CandidateReward b) {
    int byReward = Double.compare(a.reward() + 0.0, b.reward() + 0.0);
    return byReward > 0 || (byReward == 0 && a.candidateId().compareTo(b.candidateId()) < 0);
  }

  private static boolean worse(CandidateReward a, CandidateReward b) {
    int byReward = Double.compare(a.reward() + 0.0, b.reward() + 0.0);
    return byReward < 0 || (byReward == 0 && a.candidateId().compareTo(b.candidateId()) < 0);
  }

  /** One vote per voter, in the voters' order. */
  private static List<Vote> votes(
      String chosen, String rejected, List<PairPreference> preferences, List<String> voters, double c) {
    String first = chosen.compareTo(rejected) < 0 ? chosen : rejected;
    String second = first.equals(chosen) ? rejected : chosen;
    Map<String, PairPreference> forPair = new HashMap<>();
    for (PairPreference p : preferences) {
      if (p.first().equals(first) && p.second().equals(second)) {
        forPair.put(p.rewardModel(), p);
      }
    }
    List<Vote> votes = new ArrayList<>(voters.size());
    for (String voter : voters) {
      PairPreference p = forPair.get(voter);
      if (p == null) {
        votes.add(new Vote(voter, Vote.MISSING, null, 0, 0));
        continue;
      }
      double pChosen = chosen.equals(p.first()) ? p.probabilityFirst() : 1 - p.probabilityFirst();
      String preferred = p.preferred();
      String stance;
      if (preferred == null) {
        stance = Vote.NO_PREFERENCE;
      } else if (p.strength() < c) {
        stance = Vote.WEAK; // compared on the preference's own strength: 1 - p can round across c
      } else {
        stance = preferred.equals(chosen) ? Vote.AGREE : Vote.AGAINST;
      }
      votes.add(new Vote(voter, stance, pChosen, p.votes(), p.flips()));
    }
    return votes;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
