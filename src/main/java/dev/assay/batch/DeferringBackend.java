package dev.assay.batch;

import dev.assay.io.Json;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.KeyAwareBackend;
import dev.assay.llm.OpenAiBatchFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A backend that sends nothing. With a round folder, every request the ledger could not answer is written to that
 * round's batch file ({@code ./assay batch write}); without one it only refuses (an offline run). Either way the call
 * fails with {@link DeferredToBatchException}, so the stage records it as a failure and nothing downstream pretends
 * to have an answer.
 *
 * <p>It must be called through the ledger ({@link KeyAwareBackend}): the batch line's {@code custom_id} is the ledger
 * key, which {@link #chat(ChatRequest)} alone does not know, so that method is refused with {@link
 * IllegalStateException}.
 */
public final class DeferringBackend implements KeyAwareBackend {
  private final String endpoint;
  private final Path round; // null: offline, nothing written
  private final java.util.concurrent.atomic.AtomicLong deferred = new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param endpoint the recipe's endpoint name
   * @param round the round folder to write to, or null for an offline run
   */
  public DeferringBackend(String endpoint, Path round) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.round = round;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
    if (round != null) {
      BatchRound.open(round)
          .add(
              new PendingRequest(ledgerKey, "chat", endpoint, request.model(), Json.line(request)),
              OpenAiBatchFormat.chatLine(ledgerKey, request));
    }
    return CompletableFuture.failedFuture(deferred());
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
    if (round != null) {
      BatchRound.open(round)
          .add(
              new PendingRequest(ledgerKey, "completions", endpoint, request.model(), Json.line(request)),
              OpenAiBatchFormat.completionLine(ledgerKey, request));
    }
    return CompletableFuture.failedFuture(deferred());
  }

  private DeferredToBatchException deferred() {
    deferred.incrementAndGet();
    return new DeferredToBatchException(
        round != null
            ? "written to a batch file for endpoint " + endpoint + " (./assay batch read brings the answer)"
            : "offline: endpoint " + endpoint + " is not called and the ledger has no answer (./assay batch write"
                + " writes what is missing)");
  }

  /** Nothing is served live: no model list (the preflight skips backends a caller supplies). */
  @Override
  public List<String> models() {
    return List.of();
  }

  @Override
  public EndpointStats stats() {
    return new EndpointStats(0, 0, 0, deferred.get(), 0, 0, 0); // nothing sent; every call failed as deferred
  }

  @Override
  public void close() {}
}
