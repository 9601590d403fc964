package dev.assay.consensus;

import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.io.KeptRejectedFailed;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Keeps one preference pair per prompt when the reward models agree on it (SCIR, PRM-lessons), as a pure function of
 * one prompt's records: the stage's primary API. The pipeline applies it per prompt inside its one grouping by prompt
 * ({@code pipeline.ScoreAndCuratePairs}) and the CPU benchmark's plain loop calls it too, so the rule exists once.
 *
 * <p>Per prompt ({@link ConsensusDecision#decide}): the pair is (highest, lowest) by the primary reward model's
 * defined rewards, ties broken by the smaller candidate id; each of the m voters' preference for that pair is a vote
 * (agree, against, or an abstention: weak, no preference, missing; see {@link Vote}). The pair is kept when the
 * primary's margin is at least {@code m0}, at least {@code k} voters agree with probability at least {@code c}, and
 * fewer than {@code k} are confidently against. Otherwise it is rejected with one reason code ({@link RejectedPair})
 * and all the votes.
 *
 * <p>Failures: a prompt with two primary rewards for one candidate ({@value #DUPLICATE_REWARD}) or two preferences of
 * one voter for one pair ({@value #DUPLICATE_PREFERENCE}) is not decided, because either could be the right one; it
 * becomes a failure with its primary rewards and voter preferences. Accounting (stage {@value #STAGE}): every prompt
 * given to {@link #decide} is one unit in and has exactly one of kept, rejected or failed. Immutable and
 * serializable; no Beam types.
 */
public final class FilterByConsensus implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public static final String STAGE = "consensus";
  public static final String DUPLICATE_REWARD = "DuplicateReward";
  public static final String DUPLICATE_PREFERENCE = "DuplicatePreference";

  private final ConsensusSpec spec;

  private FilterByConsensus(ConsensusSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  /** As the recipe's {@code consensus:} section says. */
  public static FilterByConsensus of(ConsensusSpec spec) {
    return new FilterByConsensus(spec);
  }

  public ConsensusSpec spec() {
    return spec;
  }

  /**
   * Decides one prompt that had a reward or a preference of any reward model.
   *
   * @param primary the primary's rewards of the prompt (any order)
   * @param preferences the voters' preferences of the prompt (any order; other models' already left out)
   * @param voters the voters' names, sorted and distinct ({@code m} is their number)
   * @return exactly one of kept, rejected or failure; the same whatever the order of the lists
   */
  public Decided decide(String promptId, List<CandidateReward> primary, List<PairPreference> preferences, List<String> voters) {
    List<CandidateReward> rewards = sorted(primary, Comparator.comparing(CandidateReward::candidateId));
    List<PairPreference> prefs = sorted(preferences,
        Comparator.comparing(PairPreference::rewardModel).thenComparing(PairPreference::first).thenComparing(PairPreference::second));
    Failure failure = duplicates(promptId, rewards, prefs);
    if (failure != null) {
      return new Decided(null, null, failure);
    }
    ConsensusDecision d = ConsensusDecision.decide(promptId, rewards, prefs, voters, spec);
    return new Decided(d.kept(), d.rejected(), null);
  }

  private Failure duplicates(String promptId, List<CandidateReward> primary, List<PairPreference> prefs) {
    String problem = null;
    String errorClass = null;
    for (int i = 1; i < primary.size() && problem == null; i++) {
      if (primary.get(i).candidateId().equals(primary.get(i - 1).candidateId())) {
        errorClass = DUPLICATE_REWARD;
        problem = "two " + spec.primary() + " rewards for candidate " + primary.get(i).candidateId();
      }
    }
    for (int i = 1; i < prefs.size() && problem == null; i++) {
      PairPreference a = prefs.get(i - 1);
      PairPreference b = prefs.get(i);
      if (a.rewardModel().equals(b.rewardModel()) && a.first().equals(b.first()) && a.second().equals(b.second())) {
        errorClass = DUPLICATE_PREFERENCE;
        problem = "two " + b.rewardModel() + " preferences for " + b.first() + " vs " + b.second();
      }
    }
    if (problem == null) {
      return null;
    }
    Map<String, Object> evidence = new TreeMap<>();
    evidence.put("primary_rewards", primary);
    evidence.put("preferences", prefs);
    return new Failure(STAGE, promptId, Json.line(evidence), errorClass, problem, 0);
  }

  private static <T> List<T> sorted(List<T> list, Comparator<T> order) {
    List<T> out = new ArrayList<>(list);
    // Then by the whole record, so equal keys still come out in one order and the evidence is the same bytes.
    out.sort(order.thenComparing(Json::line));
    return out;
  }

  /** One prompt's decision: exactly one of kept, rejected or failure is set. */
  public record Decided(ConsensusPair kept, RejectedPair rejected, Failure failure)
      implements KeptRejectedFailed<ConsensusPair, RejectedPair> {
    public Decided {
      KeptRejectedFailed.requireOne(kept, rejected, failure);
    }
  }
}
