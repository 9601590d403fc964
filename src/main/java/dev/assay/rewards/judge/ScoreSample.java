package dev.assay.rewards.judge;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import java.util.Objects;

/**
 * What the {@code judge} reward model reads of one absolute judgment: the judge, ids, status and score, no rationale
 * (what crosses the shuffle). {@link JudgeScoring#score} turns one prompt's samples into rewards and preferences.
 */
public record ScoreSample(String judge, String promptId, String candidateId, int sample, JudgmentStatus status, Integer score) {
  public ScoreSample {
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(candidateId, "candidateId");
    Objects.requireNonNull(status, "status");
  }

  /** The sample of an absolute judgment (the caller has checked its kind). */
  public static ScoreSample of(Judgment j) {
    return new ScoreSample(j.judge(), j.itemId(), j.candidateA(), j.sample(), j.status(), j.score());
  }
}
