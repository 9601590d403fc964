package dev.assay.rewards.judge;

import dev.assay.rewards.CandidateReward;
import java.util.Objects;

/**
 * The absolute judge's scores of one candidate summarised: what {@code judge} reward models report besides the mean
 * (DESIGN section 2: "mean score of the N absolute judgments (also median, std, share of samples that parsed)").
 *
 * <p>Contract: {@code requested = ok + unparseable + refused + truncated + failed}; the score statistics are NaN
 * exactly when {@code ok = 0} (no score is ever made up). Failure mode: {@link IllegalArgumentException} when the
 * counts do not add up or are negative.
 *
 * @param rewardModel the voter's name
 * @param judge the judge whose judgments were read
 * @param promptId the prompt
 * @param candidateId the candidate
 * @param requested judgments of this candidate by this judge, whatever their status
 * @param ok judgments with a score
 * @param unparseable judgments whose answer held no readable score
 * @param refused judgments the judge declined
 * @param truncated judgments cut by the token limit before the score
 * @param failed transport failures
 * @param mean mean of the ok scores (the reward)
 * @param median median of the ok scores (mean of the two middle ones for an even count)
 * @param std sample standard deviation of the ok scores (divisor n - 1; 0 for one score)
 * @param min lowest ok score
 * @param max highest ok score
 */
public record JudgeScoreStats(
    String rewardModel,
    String judge,
    String promptId,
    String candidateId,
    long requested,
    long ok,
    long unparseable,
    long refused,
    long truncated,
    long failed,
    double mean,
    double median,
    double std,
    double min,
    double max) {
  public JudgeScoreStats {
    Objects.requireNonNull(rewardModel, "rewardModel");
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(candidateId, "candidateId");
    if (ok < 0 || unparseable < 0 || refused < 0 || truncated < 0 || failed < 0
        || requested != ok + unparseable + refused + truncated + failed) {
      throw new IllegalArgumentException(
          "counts must be >= 0 and add up to requested " + requested + ": ok " + ok + ", unparseable " + unparseable
              + ", refused " + refused + ", truncated " + truncated + ", failed " + failed);
    }
    if ((ok == 0) != Double.isNaN(mean)) {
      throw new IllegalArgumentException("mean must be NaN exactly when no judgment is ok: " + mean + " with ok " + ok);
    }
  }

  /** The share of requested judgments that gave a score, in [0, 1]; NaN when none was requested. */
  public double parseShare() {
    return requested == 0 ? Double.NaN : (double) ok / requested;
  }

  /** The reward this summary gives: the mean ok score, NaN with usable 0 when there is none. */
  public CandidateReward toReward() {
    return new CandidateReward(rewardModel, promptId, candidateId, mean, requested, ok, ok == 0 ? 0 : std);
  }
}
