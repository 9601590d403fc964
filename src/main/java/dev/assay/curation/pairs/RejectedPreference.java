package dev.assay.curation.pairs;

import java.util.Objects;

/**
 * A consensus pair that pair building turned down, with the reason: {@code reward_hacking} (the chosen response
 * games the judge), {@code length} (length control), {@code low_consistency} (the prompt failed the CREAM filter) or
 * {@code missing_candidate} (a candidate id with no candidate record: a bug upstream, kept as evidence).
 */
public record RejectedPreference(String promptId, String chosen, String rejected, String reason, String detail) {
  public RejectedPreference {
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(reason, "reason");
  }
}
