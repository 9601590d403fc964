package dev.assay.curation.pairs;

import dev.assay.consensus.ConsensusPair;
import dev.assay.consensus.Vote;
import dev.assay.consistency.PromptConsistency;
import dev.assay.generation.Candidate;
import dev.assay.io.Hashing;
import dev.assay.rewards.CandidateReward;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns one prompt's consensus decision into a {@link PreferencePair} (kind {@code policy}) with its texts and
 * evidence, or a {@link RejectedPreference} with a reason, and picks the prompt's policy SFT example: a pure function
 * of one prompt's records, the stage's primary API. The pipeline applies it per prompt inside its one grouping by
 * prompt ({@code pipeline.ScoreAndCuratePairs}) and the CPU benchmark's plain loop calls it too, so the rules exist
 * once.
 *
 * <p>Checks on a kept consensus pair, in order: the candidates exist ({@code missing_candidate}), the prompt passed
 * the consistency filter when it filters ({@code low_consistency}), the chosen response does not game the judge
 * ({@link RewardHackingGuard}, {@code reward_hacking}), and length control ({@code length}). Accounting (stage
 * {@value #STAGE}): in = kept consensus pairs = pairs + rejected. SFT (stage {@value #SFT_STAGE}): the primary's best
 * response of each prompt whose reward reaches the threshold and that the guard does not flag. Immutable and
 * serializable; no Beam types.
 */
public final class BuildPreferencePairs implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public static final String STAGE = "pairs";
  /** The stage the policy SFT examples are counted under. */
  public static final String SFT_STAGE = "sft.policy";

  private final PairSpec spec;
  private final boolean filter;
  private final String runId;
  private final int iteration;

  private BuildPreferencePairs(PairSpec spec, boolean filter, String runId, int iteration) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.filter = filter;
    this.runId = Objects.requireNonNull(runId, "runId");
    this.iteration = iteration;
  }

  /**
   * @param consistencyFilter whether a prompt without a kept consistency measurement loses its pair ({@code
   *     low_consistency}); when false, consistency is only attached
   * @param runId the run id written on pairs and SFT examples
   * @param iteration the iteration written on pairs and SFT examples
   */
  public static BuildPreferencePairs with(PairSpec spec, boolean consistencyFilter, String runId, int iteration) {
    return new BuildPreferencePairs(spec, consistencyFilter, runId, iteration);
  }

  /** The id of the pair for a prompt's chosen and rejected candidates. */
  public static String pairId(String promptId, String chosen, String rejected) {
    return promptId + "/" + Hashing.sha256(chosen + "\u0000" + rejected).substring(0, 12);
  }

  /**
   * One prompt's outputs: the pair or its rejection for a kept consensus pair, and the SFT example.
   *
   * @param kept the prompt's kept consensus pair, or null (rejected or failed by consensus: no pair, no rejection here)
   * @param primary the primary reward model's rewards of the prompt (for the SFT pick)
   * @param candidates the prompt's candidates by id (at least; more do no harm)
   * @param consistency the prompt's kept consistency measurement, or null (rejected, or not measured)
   */
  public Built build(ConsensusPair kept, List<CandidateReward> primary, Map<String, Candidate> candidates, PromptConsistency consistency) {
    PreferencePair pair = null;
    RejectedPreference rejected = null;
    if (kept != null) {
      rejected = check(kept, candidates, consistency != null);
      if (rejected == null) {
        pair = pairOf(kept, candidates.get(kept.chosen()), candidates.get(kept.rejected()), consistency);
      }
    }
    return new Built(pair, rejected, sft(primary, candidates));
  }

  /**
   * The SFT example of one prompt: its best-rewarded candidate by the primary (ties to the smaller id), when the
   * reward reaches the threshold and the guard passes; null otherwise or when no threshold is set.
   *
   * @param primary the primary's rewards of one prompt
   */
  public SftExample sft(List<CandidateReward> primary, Map<String, Candidate> candidates) {
    if (spec.sftThreshold() == null) {
      return null;
    }
    CandidateReward best = null;
    for (CandidateReward cr : primary) {
      if (cr.defined() && (best == null || cr.reward() > best.reward()
          || (cr.reward() == best.reward() && cr.candidateId().compareTo(best.candidateId()) < 0))) {
        best = cr;
      }
    }
    if (best == null) {
      return null;
    }
    Candidate c = candidates.get(best.candidateId());
    if (c == null || best.reward() < spec.sftThreshold() || (spec.guard() && RewardHackingGuard.flagged(c.response()))) {
      return null;
    }
    return new SftExample(c.id(), "policy", c.promptId(), c.prompt(), null, c.response(), best.reward(), iteration, runId);
  }

  private RejectedPreference check(ConsensusPair p, Map<String, Candidate> candidates, boolean consistent) {
    Candidate chosen = candidates.get(p.chosen());
    Candidate rejected = candidates.get(p.rejected());
    if (chosen == null || rejected == null) {
      return new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), "missing_candidate", "no candidate record for "
          + (chosen == null ? p.chosen() : p.rejected()));
    }
    if (filter && !consistent) {
      return new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), "low_consistency", "the prompt failed the consistency filter");
    }
    if (spec.guard()) {
      var flags = RewardHackingGuard.check(chosen.response());
      if (!flags.isEmpty()) {
        return new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), "reward_hacking",
            flags.get(0).reason() + ": " + flags.get(0).match());
      }
    }
    if (spec.tooLong(chosen.response(), rejected.response())) {
      return new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), "length",
          String.format(java.util.Locale.ROOT, "chosen has %.2fx the words of rejected (max %.2f)",
              PairSpec.lengthRatio(chosen.response(), rejected.response()), spec.maxLengthRatio()));
    }
    return null;
  }

  private PreferencePair pairOf(ConsensusPair p, Candidate chosen, Candidate rejected, PromptConsistency pc) {
    Map<String, Double> agreement = new TreeMap<>();
    for (Vote v : p.votes()) {
      if (v.agrees()) {
        agreement.put(v.rewardModel(), v.probabilityChosen());
      }
    }
    return new PreferencePair(
        pairId(p.promptId(), chosen.id(), rejected.id()),
        "policy",
        p.promptId(),
        chosen.prompt(),
        null,
        chosen.response(),
        rejected.response(),
        chosen.id(),
        rejected.id(),
        p.chosenReward(),
        p.rejectedReward(),
        p.margin(),
        pc == null ? null : pc.consistency(),
        p.agreed(),
        agreement,
        iteration,
        runId);
  }

  /**
   * One prompt's outputs: at most one of {@code pair} and {@code rejected} (both null when consensus kept no pair),
   * and the SFT example or null.
   */
  public record Built(PreferencePair pair, RejectedPreference rejected, SftExample sft) {
    public Built {
      if (pair != null && rejected != null) {
        throw new IllegalArgumentException("a consensus pair is either built or rejected, not both");
      }
    }
  }
}
