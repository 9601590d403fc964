package dev.assay.consistency;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A prompt the consistency filter dropped, with the reason and the measurement behind it; written to {@code
 * rejected/}.
 *
 * <p>Reason codes: {@value #BELOW_THRESHOLD} (C(x) is below the threshold), or, unless undefined prompts are kept,
 * the prompt's {@link PromptConsistency#undefinedReason()} ({@code too_few_candidates}, {@code all_tied_current},
 * {@code all_tied_previous}, {@code all_tied_both}).
 *
 * @param promptId the prompt
 * @param reason the reason code
 * @param consistency the prompt's C(x); null when undefined
 * @param threshold the threshold it was held against
 * @param evidence the whole measurement: both rankings, pair counts
 */
public record RejectedPrompt(
    String promptId,
    String reason,
    @JsonInclude(ALWAYS) Double consistency,
    double threshold,
    PromptConsistency evidence) {
  public static final String BELOW_THRESHOLD = "below_threshold";

  public RejectedPrompt {
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(evidence, "evidence");
    if (!promptId.equals(evidence.promptId())) {
      throw new IllegalArgumentException("evidence is for another prompt: " + evidence.promptId());
    }
  }
}
