package dev.assay.run;

import java.util.Objects;

/**
 * One check made before a run's first paid request, as the manifest records it under {@code preflight}: the model
 * list of an endpoint, or one probe of a capability the recipe needs (a request with {@code max_tokens: 1}, sent
 * outside the ledger).
 *
 * @param endpoint the endpoint's name in the recipe
 * @param check what was checked: {@code models}, {@code prompt_logprobs}, {@code n}
 * @param outcome {@code ok}, {@code missing} (the server lacks it), {@code not_served} (no model list to check) or
 *     {@code skipped} (a backend the caller supplied, not probed), {@code unreachable} (nothing answered) or {@code
 *     failed} (the server failed the probe: its capability is unknown)
 * @param detail what the server said, in one line (the models offered, the owner, why a probe failed)
 * @param retries HTTP requests this check's endpoint retried during preflight (faults, 429s), recorded on the
 *     endpoint's last check: the driver's retries, which a run's own counters never see
 */
public record PreflightCheck(String endpoint, String check, String outcome, String detail, long retries) {
  /** A check with no retry. */
  public PreflightCheck(String endpoint, String check, String outcome, String detail) {
    this(endpoint, check, outcome, detail, 0);
  }

  public PreflightCheck {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(outcome, "outcome");
    detail = detail == null ? "" : detail;
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0: " + retries);
    }
  }

  /** The HTTP requests this check stands for on the server: one, and its endpoint's retries; none when skipped. */
  public long httpRequests() {
    return outcome.equals("skipped") ? 0 : 1 + retries;
  }

  /** Whether the check passed, or could not be made for a reason that does not stop a run. */
  public boolean passed() {
    return !outcome.equals("missing");
  }
}
