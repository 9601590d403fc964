package dev.assay.llm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The base of the client layers ({@link Endpoints#decorate}): a backend around another one that forwards what it
 * does not change. Closing a layer closes what it wraps; a closed layer refuses calls with
 * {@link IllegalStateException}, as the bare client does.
 */
abstract class ForwardingBackend implements LlmBackend {
  protected final LlmBackend inner;
  private final AtomicBoolean closed = new AtomicBoolean();

  ForwardingBackend(LlmBackend inner) {
    this.inner = java.util.Objects.requireNonNull(inner, "inner");
  }

  /** A call without a ledger key: the layer's behaviour, then the layer below's call without a key. */
  @Override
  public final CompletableFuture<ChatResponse> chat(ChatRequest request) {
    return chat(request, null);
  }

  /** As {@link #chat(ChatRequest)}. */
  @Override
  public final CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
    return complete(request, null);
  }

  /**
   * The layer's behaviour around the call; it reaches the layer below through {@link #innerChat}, which hands the
   * ledger key on (a batch backend below needs it) or, when null, calls without one.
   */
  @Override
  public abstract CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey);

  /** As {@link #chat(ChatRequest, String)}. */
  @Override
  public abstract CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey);

  /** The call on the layer below, with the ledger key when there is one. */
  final CompletableFuture<ChatResponse> innerChat(ChatRequest request, String ledgerKey) {
    return ledgerKey == null ? inner.chat(request) : inner.chat(request, ledgerKey);
  }

  /** As {@link #innerChat}. */
  final CompletableFuture<CompletionResponse> innerComplete(CompletionRequest request, String ledgerKey) {
    return ledgerKey == null ? inner.complete(request) : inner.complete(request, ledgerKey);
  }

  /** The model ids, read from {@link #listedModels()} so each layer's behaviour applies once. */
  @Override
  public final List<String> models() {
    return listedModels().stream().map(ListedModel::id).toList();
  }

  @Override
  public List<ListedModel> listedModels() {
    ensureOpen();
    return inner.listedModels();
  }

  @Override
  public EndpointStats stats() {
    return inner.stats();
  }

  @Override
  public long takeRetries() {
    return inner.takeRetries();
  }

  @Override
  public boolean budgetExhausted() {
    return inner.budgetExhausted();
  }

  /** Releases this layer's own state ({@link #closeLayer}), then closes what it wraps. Idempotent. */
  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        closeLayer();
      } finally {
        inner.close();
      }
    }
  }

  /** What this layer holds (threads, waiting calls); the default holds nothing. */
  void closeLayer() {}

  final boolean isClosed() {
    return closed.get();
  }

  final void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  /**
   * Starts a call on the layer below, turning a refusal thrown at once (the layer below was closed meanwhile) into
   * a failed future, so callers of this layer see every outcome the same way.
   */
  final <T> CompletableFuture<T> below(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (IllegalStateException refused) {
      return CompletableFuture.failedFuture(
          new TransportException("the client was closed before the call was sent: " + inner, 0, null));
    }
  }

  /** The cause a future failed with, without the CompletionException a dependent stage adds. */
  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  /** Names what it wraps (never a key: no layer holds one). */
  @Override
  public String toString() {
    return inner.toString();
  }
}
