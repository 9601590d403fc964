package dev.assay.consistency;

import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.io.KeptRejectedFailed;
import dev.assay.rewards.CandidateReward;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * CREAM consistency of one prompt, as a pure function: how consistently the current and the previous iteration rank
 * the same candidates, and, in filter mode, whether the prompt is dropped. This is the stage's primary API; the
 * pipeline applies it per prompt inside its one grouping by prompt ({@code pipeline.ScoreAndCuratePairs}) and the
 * CPU benchmark's plain loop calls it too, so the rule exists once.
 *
 * <p>Per prompt: {@link PromptConsistency#of} over the candidates with a defined reward on both sides, {@code C(x) =
 * (tau_b + 1) / 2}. Report mode keeps every measured prompt. Filter mode rejects a prompt when {@code C(x) <
 * threshold} ({@link RejectedPrompt#BELOW_THRESHOLD}) and, unless told to keep them, a prompt whose C(x) is
 * undefined (reason: why it is undefined). {@link Outcome#addTo} folds outcomes into a {@link ConsistencyTally},
 * whose {@link ConsistencyTally#summary()} is the set-level summary.
 *
 * <p>Each side of a prompt must hold one reward model's rewards, one per candidate: a prompt with two rewards for
 * the same candidate on one side ({@value #DUPLICATE_REWARD}), or rewards of two reward models on one side ({@value
 * #MIXED_REWARD_MODELS}), is not measured and becomes a failure with everything it had, because a ranking built from
 * it would be arbitrary. Accounting (stage {@value #STAGE}): every prompt id seen on either side is one unit in and
 * has exactly one of kept, rejected or failed. Immutable and serializable; no Beam types.
 */
public final class MeasureConsistency implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public static final String STAGE = "consistency";
  public static final String DUPLICATE_REWARD = "DuplicateReward";
  public static final String MIXED_REWARD_MODELS = "MixedRewardModels";

  private final boolean filter;
  private final double threshold;
  private final boolean keepUndefined;

  private MeasureConsistency(boolean filter, double threshold, boolean keepUndefined) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1]: " + threshold);
    }
    this.filter = filter;
    this.threshold = threshold;
    this.keepUndefined = keepUndefined;
  }

  /** Measures and keeps every prompt. */
  public static MeasureConsistency reporting() {
    return new MeasureConsistency(false, 0.5, true);
  }

  /**
   * Measures and rejects prompts with {@code C(x) < threshold}, and undefined ones unless {@code keepUndefined}.
   *
   * @throws IllegalArgumentException for a threshold outside [0, 1]
   */
  public static MeasureConsistency filtering(double threshold, boolean keepUndefined) {
    return new MeasureConsistency(true, threshold, keepUndefined);
  }

  /**
   * As the recipe's {@code consistency:} section says: its mode, threshold and {@code keep_undefined}. Which rewards
   * are the current and the previous side ({@code reward_model}, {@code previous}, {@code previous_judge}) is the
   * caller's to choose.
   */
  public static MeasureConsistency of(ConsistencySpec spec) {
    return spec.filters() ? filtering(spec.threshold(), spec.keepUndefined()) : reporting();
  }

  /**
   * Measures one prompt seen on either side.
   *
   * @param current the current side's rewards of the prompt (any order; may be empty)
   * @param previous the previous side's rewards of the prompt (any order; may be empty)
   * @return exactly one of kept, rejected (with its measurement) or failure; the same whatever the order of the lists
   */
  public Outcome measure(String promptId, List<CandidateReward> current, List<CandidateReward> previous) {
    List<CandidateReward> cur = sortedForEvidence(current);
    List<CandidateReward> prev = sortedForEvidence(previous);
    Problem problem = problem("current", cur);
    problem = problem != null ? problem : problem("previous", prev);
    if (problem != null) {
      Map<String, List<CandidateReward>> evidence = new TreeMap<>();
      evidence.put("current", cur);
      evidence.put("previous", prev);
      return new Outcome(null, null, new Failure(STAGE, promptId, Json.line(evidence), problem.errorClass(), problem.message(), 0));
    }
    PromptConsistency p = PromptConsistency.of(promptId, rewards(cur), rewards(prev));
    String reason = rejection(p);
    if (reason == null) {
      return new Outcome(p, null, null);
    }
    return new Outcome(null, new RejectedPrompt(promptId, reason, p.consistency(), threshold, p), null);
  }

  /** The rejection reason code, or null to keep. */
  private String rejection(PromptConsistency p) {
    if (!filter) {
      return null;
    }
    if (!p.defined()) {
      return keepUndefined ? null : p.undefinedReason();
    }
    return p.consistency() < threshold ? RejectedPrompt.BELOW_THRESHOLD : null;
  }

  /** One prompt's outcome: exactly one of kept, rejected (with its measurement) or failure is set. */
  public record Outcome(PromptConsistency kept, RejectedPrompt rejected, Failure failure)
      implements KeptRejectedFailed<PromptConsistency, RejectedPrompt> {
    public Outcome {
      KeptRejectedFailed.requireOne(kept, rejected, failure);
    }

    /** {@code tally} with this prompt added. */
    public ConsistencyTally addTo(ConsistencyTally tally) {
      if (failure != null) {
        return tally.plusFailed(failure.errorClass());
      }
      return kept != null ? tally.plus(kept, null) : tally.plus(rejected.evidence(), rejected.reason());
    }
  }

  /** Sorted so the failure evidence is the same bytes whatever order the runner delivered. */
  private static List<CandidateReward> sortedForEvidence(List<CandidateReward> rewards) {
    List<CandidateReward> out = new ArrayList<>(rewards);
    out.sort(Comparator.comparing(CandidateReward::candidateId).thenComparing(CandidateReward::rewardModel).thenComparing(Json::line));
    return out;
  }

  private record Problem(String errorClass, String message) {}

  /** Why one side of a prompt cannot be ranked, or null. */
  private static Problem problem(String side, List<CandidateReward> rewards) {
    TreeSet<String> models = new TreeSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (CandidateReward r : rewards) {
      models.add(r.rewardModel());
      if (seen.merge(r.candidateId(), 1, Integer::sum) == 2) {
        return new Problem(DUPLICATE_REWARD, side + " side has two rewards for candidate " + r.candidateId());
      }
    }
    if (models.size() > 1) {
      return new Problem(MIXED_REWARD_MODELS, side + " side mixes reward models " + models + "; give one reward model per side");
    }
    return null;
  }

  private static Map<String, Double> rewards(List<CandidateReward> rewards) {
    Map<String, Double> out = new HashMap<>();
    for (CandidateReward r : rewards) {
      out.put(r.candidateId(), r.defined() ? r.reward() : Double.NaN);
    }
    return out;
  }
}
