package dev.assay.ledger;

import java.util.Objects;

/**
 * One completed request in the ledger.
 *
 * @param key the {@link RequestKey} hash
 * @param api {@code chat} or {@code completions}
 * @param model the model asked
 * @param request the request as canonical JSON (no URL, no key)
 * @param response the parsed response as JSON ({@code ChatResponse} or {@code CompletionResponse})
 */
public record LedgerEntry(String key, String api, String model, String request, String response) {
  public LedgerEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
  }
}
