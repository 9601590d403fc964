package dev.assay.llm;

import java.util.concurrent.CompletableFuture;

/**
 * A backend that needs each request's ledger key with the request and refuses calls without one. The ledger's
 * callers ({@code LedgeredChat}, {@code LedgeredCompletion}) always call {@link LlmBackend#chat(ChatRequest, String)}
 * and {@link LlmBackend#complete(CompletionRequest, String)}, and the client layers ({@code Endpoints.decorate})
 * hand the key down, so such a backend may sit inside them.
 *
 * <p>Why: the key is computed from more than the request (the template version and the sample index), and a backend
 * that answers later, outside the run (the batch-file writer, whose lines carry the key as {@code custom_id}), must
 * be able to put the answer back under the key the run will look up. Live backends do not need it.
 */
public interface KeyAwareBackend extends LlmBackend {
  /** As {@link LlmBackend#chat}, told the ledger key the answer will be recorded under; this backend needs it. */
  @Override
  CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey);

  /** As {@link LlmBackend#complete}, told the ledger key the answer will be recorded under; this backend needs it. */
  @Override
  CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey);

  /** Refused: without its ledger key the answer could not be put back where the run will look for it. */
  @Override
  default CompletableFuture<ChatResponse> chat(ChatRequest request) {
    throw new IllegalStateException(getClass().getSimpleName() + " is called through the ledger only (it needs the ledger key)");
  }

  /** Refused, as {@link #chat(ChatRequest)}. */
  @Override
  default CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
    throw new IllegalStateException(getClass().getSimpleName() + " is called through the ledger only (it needs the ledger key)");
  }
}
