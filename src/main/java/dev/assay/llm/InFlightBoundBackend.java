package dev.assay.llm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The top layer: at most {@code max_in_flight} logical calls at once per endpoint per JVM. A caller waits in its own
 * thread for a free slot (fair, first come first served): that wait is the backpressure a DoFn feels. A slot is held
 * from the call's start to its final outcome, retries and their backoff included, so a 429 storm slows callers down
 * instead of piling up queued calls; it is given back before the caller's future completes, so a caller that starts
 * its next call from the completion finds the slot free.
 */
final class InFlightBoundBackend extends ForwardingBackend {
  private final Semaphore slots;

  InFlightBoundBackend(LlmBackend inner, int maxInFlight) {
    super(inner);
    this.slots = new Semaphore(maxInFlight, true);
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
    return bounded(() -> innerChat(request, ledgerKey));
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
    return bounded(() -> innerComplete(request, ledgerKey));
  }

  @Override
  public List<ListedModel> listedModels() {
    ensureOpen();
    acquire();
    try {
      return inner.listedModels();
    } finally {
      slots.release();
    }
  }

  private <T> CompletableFuture<T> bounded(Supplier<CompletableFuture<T>> call) {
    ensureOpen();
    try {
      acquire();
    } catch (TransportException interrupted) {
      return CompletableFuture.failedFuture(interrupted);
    }
    CompletableFuture<T> outcome = new CompletableFuture<>();
    below(call).whenComplete((value, error) -> {
      slots.release();
      if (error == null) {
        outcome.complete(value);
      } else {
        outcome.completeExceptionally(unwrap(error));
      }
    });
    return outcome;
  }

  private void acquire() {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while waiting for an in-flight slot: " + inner, 0, e);
    }
  }
}
