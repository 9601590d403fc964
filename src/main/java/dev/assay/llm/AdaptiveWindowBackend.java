package dev.assay.llm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The layer that keeps attempts on the wire within an {@link AdaptiveWindow} (AIMD below {@code max_in_flight}): the
 * bottom layer, right above the backend, so it sees each attempt and what its outcome says about the server's load.
 * An attempt that finds the window full waits in the window's queue, where no timeout runs, and is started by the
 * thread that frees room; nothing blocks.
 */
final class AdaptiveWindowBackend extends ForwardingBackend {
  private final AdaptiveWindow window;

  AdaptiveWindowBackend(LlmBackend inner, int minInFlight, int maxInFlight) {
    super(inner);
    this.window = new AdaptiveWindow(minInFlight, maxInFlight);
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
    return windowed(() -> innerChat(request, ledgerKey));
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
    return windowed(() -> innerComplete(request, ledgerKey));
  }

  @Override
  public List<ListedModel> listedModels() {
    ensureOpen();
    CompletableFuture<AdaptiveWindow.Permit> granted = new CompletableFuture<>();
    window.submit(granted::complete);
    AdaptiveWindow.Permit permit = granted.join();
    try {
      List<ListedModel> models = inner.listedModels();
      permit.done(AdaptiveWindow.Signal.SUCCESS);
      return models;
    } catch (RuntimeException e) {
      permit.done(signal(e));
      throw e;
    }
  }

  private <T> CompletableFuture<T> windowed(Supplier<CompletableFuture<T>> attempt) {
    ensureOpen();
    CompletableFuture<T> outcome = new CompletableFuture<>();
    window.submit(permit -> below(attempt).whenComplete((value, error) -> {
      permit.done(error == null ? AdaptiveWindow.Signal.SUCCESS : signal(unwrap(error)));
      if (error == null) {
        outcome.complete(value);
      } else {
        outcome.completeExceptionally(unwrap(error));
      }
    }));
    return outcome;
  }

  /**
   * What a failed attempt says about the server's load: 429, 503, 408 and timeouts say it is over its capacity; an
   * answer that came back whole (a wrong model, a 2xx body that did not parse) says it kept up; the rest (other
   * statuses, a reset, a body cut off, a closed client) say nothing.
   */
  static AdaptiveWindow.Signal signal(Throwable error) {
    if (error instanceof RateLimitedException || error instanceof RequestTimeoutException
        || error instanceof ServerErrorException server && server.status() == 503) {
      return AdaptiveWindow.Signal.CONGESTION;
    }
    // A malformed answer without a cause was read whole and failed to parse; with one, reading it failed.
    if (error instanceof WrongModelException
        || error instanceof MalformedResponseException && error.getCause() == null) {
      return AdaptiveWindow.Signal.SUCCESS;
    }
    return AdaptiveWindow.Signal.NEUTRAL;
  }
}
