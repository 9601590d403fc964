package dev.assay.batch;

import java.util.Objects;

/**
 * A request written to a batch file and not yet answered: what {@code batch read} needs to record its answer in the
 * ledger exactly as a live call would have.
 *
 * @param key the ledger key, also the batch line's {@code custom_id}
 * @param api {@code chat} or {@code completions}
 * @param endpoint the recipe's endpoint name
 * @param model the model asked (answers naming another model are refused, as live ones are)
 * @param request the request as the ledger records it (canonical JSON of the request record)
 */
public record PendingRequest(String key, String api, String endpoint, String model, String request) {
  public PendingRequest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(request, "request");
  }
}
