package dev.assay.ledger;

import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.LlmException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The completions-endpoint twin of {@link LedgeredChat}: sends a completions request (typically a log-prob scoring
 * request, {@code echo} with {@code max_tokens} 0) unless the ledger already holds its answer, and records every
 * fresh answer, token log-probs included, before handing it on.
 *
 * <p>Same contract: a key in the ledger is replayed without a request; an identical request in flight in this JVM
 * is shared, not sent twice (unless it fails); the returned future never completes exceptionally for an
 * {@link LlmException}, it completes with a failed {@link CompletionOutcome}; any other exception (a bug, a ledger
 * I/O error) propagates. The ledger records the response as the client parsed it, so a replay yields the same tokens, log-probs (the
 * unscored first token's null included) and offsets.
 */
public final class LedgeredCompletion {
  private final Ledger ledger;
  private final LlmBackend backend;

  public LedgeredCompletion(Ledger ledger, LlmBackend backend) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  public CompletableFuture<CompletionOutcome> call(CompletionRequest request) {
    String key = RequestKey.completion(request);
    return LedgeredCall.call(
        ledger,
        "completions",
        request.model(),
        key,
        request,
        CompletionResponse.class,
        // A backend that answers outside the run (batch files) needs the key to put the answer back under.
        r -> backend.complete(r, key),
        CompletionOutcome::new);
  }
}
