package dev.assay.judging;

import dev.assay.generation.Candidate;
import java.util.Objects;

/**
 * What one judging request is about: a candidate (absolute) or an ordered pair of candidates of the same prompt
 * (pairwise; {@code a} is shown first).
 */
public record JudgeItem(Candidate a, Candidate b) {
  public JudgeItem {
    Objects.requireNonNull(a, "a");
    if (b != null && !a.promptId().equals(b.promptId())) {
      throw new IllegalArgumentException("a pair must share its prompt: " + a.id() + " vs " + b.id());
    }
  }

  public static JudgeItem single(Candidate a) {
    return new JudgeItem(a, null);
  }
}
