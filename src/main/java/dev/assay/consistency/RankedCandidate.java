package dev.assay.consistency;

import java.util.Objects;

/**
 * One candidate as both iterations ranked it.
 *
 * <p>Ranks are fractional, 1 = highest reward; tied candidates share the mean of the positions they occupy (two
 * candidates tied for the top both get 1.5), so the ranks carry the ties tau-b accounts for.
 *
 * @param candidateId the candidate
 * @param currentReward its reward from the current iteration's model
 * @param previousReward its reward from the previous iteration's model
 * @param currentRank its rank among the prompt's ranked candidates by the current reward
 * @param previousRank its rank by the previous reward
 */
public record RankedCandidate(
    String candidateId, double currentReward, double previousReward, double currentRank, double previousRank) {
  public RankedCandidate {
    Objects.requireNonNull(candidateId, "candidateId");
    if (Double.isNaN(currentReward) || Double.isNaN(previousReward)) {
      throw new IllegalArgumentException("a ranked candidate needs a reward on both sides: " + candidateId);
    }
    if (!(currentRank >= 1 && previousRank >= 1)) {
      throw new IllegalArgumentException("ranks start at 1: " + currentRank + ", " + previousRank);
    }
  }
}
