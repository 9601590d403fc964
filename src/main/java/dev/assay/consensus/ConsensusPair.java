package dev.assay.consensus;

import java.util.List;
import java.util.Objects;

/**
 * A preference pair the reward models agree on: the primary's highest- and lowest-rewarded responses of a prompt,
 * kept because at least {@code k} of {@code m} voters confidently prefer {@code chosen}, fewer than {@code k}
 * confidently prefer {@code rejected}, and the primary's margin is at least {@code m0}.
 *
 * @param promptId the prompt
 * @param chosen the candidate the primary rewards highest
 * @param rejected the candidate the primary rewards lowest
 * @param primary the primary reward model
 * @param chosenReward the primary's reward of {@code chosen}
 * @param rejectedReward the primary's reward of {@code rejected}
 * @param margin {@code chosenReward - rejectedReward}, > 0
 * @param votes every voter's stance, sorted by voter name: who agreed with which probability, who opposed, who
 *     abstained
 * @param k voters needed
 * @param m voters asked
 * @param c the probability a vote needed
 * @param m0 the margin the primary needed
 */
public record ConsensusPair(
    String promptId,
    String chosen,
    String rejected,
    String primary,
    double chosenReward,
    double rejectedReward,
    double margin,
    List<Vote> votes,
    int k,
    int m,
    double c,
    double m0) {
  public ConsensusPair {
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    Objects.requireNonNull(primary, "primary");
    votes = List.copyOf(votes);
    if (chosen.equals(rejected)) {
      throw new IllegalArgumentException("chosen and rejected must differ: " + chosen);
    }
    if (!(margin > 0)) {
      throw new IllegalArgumentException("margin must be > 0: " + margin);
    }
    if (votes.size() != m) {
      throw new IllegalArgumentException("one vote per voter: " + votes.size() + " votes, m = " + m);
    }
  }

  /** Voters that confidently preferred {@code chosen}. */
  public List<String> agreed() {
    return votes.stream().filter(Vote::agrees).map(Vote::rewardModel).toList();
  }

  /** Voters that confidently preferred {@code rejected}. */
  public List<String> disagreed() {
    return votes.stream().filter(Vote::opposes).map(Vote::rewardModel).toList();
  }

  /** Voters without a confident vote (weak, no preference, missing). */
  public List<String> abstained() {
    return votes.stream().filter(v -> !v.agrees() && !v.opposes()).map(Vote::rewardModel).toList();
  }
}
