package dev.assay.rewards;

import java.util.Objects;

/**
 * One reward model's reward for one candidate.
 *
 * @param rewardModel the voter's name (a configured reward model, e.g. {@code judge:self}, {@code implicit})
 * @param promptId the prompt the candidate answers
 * @param candidateId the candidate
 * @param reward the reward; higher is better. Scales differ between reward models; compare within one model only
 * @param samples inputs the reward was computed from (e.g. judgments requested)
 * @param usable inputs that contributed (e.g. judgments that parsed); 0 means no reward could be computed and
 *     {@code reward} is NaN
 * @param spread the standard deviation of the contributing values (0 when fewer than two)
 */
public record CandidateReward(
    String rewardModel, String promptId, String candidateId, double reward, long samples, long usable, double spread) {
  public CandidateReward {
    Objects.requireNonNull(rewardModel, "rewardModel");
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(candidateId, "candidateId");
    if (usable < 0 || samples < usable) {
      throw new IllegalArgumentException("need 0 <= usable <= samples: " + usable + "/" + samples);
    }
  }

  /** Whether a reward could be computed at all. */
  public boolean defined() {
    return usable > 0 && !Double.isNaN(reward);
  }
}
