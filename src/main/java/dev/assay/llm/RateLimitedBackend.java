package dev.assay.llm;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The rate-limit layer: every attempt reserves one request of {@code requests_per_minute} and its estimated tokens
 * of {@code tokens_per_minute} ({@link TokenBucket}: a minute's worth of burst, then the steady rate) and goes below
 * once the reservation is due. The estimate (prompt characters / 4 plus {@code max_tokens} per choice) is corrected
 * by what the server reports once it answers, a wrong model's answer included.
 *
 * <p>It sits below the retry layer, so retries are paced too, and it never blocks a thread that sends: a call whose
 * reservation is in the future waits on this layer's timer (listing models, which blocks anyway, waits in the
 * caller's thread). The caller's backpressure is the in-flight bound above, which holds a slot while a call waits
 * here. {@link #close()} fails the calls still waiting with a {@link TransportException}.
 */
final class RateLimitedBackend extends ForwardingBackend {
  private final TokenBucket requestRate;
  private final TokenBucket tokenRate;
  private final ScheduledThreadPoolExecutor timer;
  private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();

  /** Limits from {@code config}; build it only when one of the two rates is set. */
  RateLimitedBackend(LlmBackend inner, EndpointConfig config, String threadName) {
    super(inner);
    this.requestRate =
        config.requestsPerMinute() > 0 ? new TokenBucket(config.requestsPerMinute(), System::nanoTime) : null;
    this.tokenRate = config.tokensPerMinute() > 0 ? new TokenBucket(config.tokensPerMinute(), System::nanoTime) : null;
    this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(threadName + "-rate"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Whether {@code config} sets a rate, so that the layer is worth building. */
  static boolean limits(EndpointConfig config) {
    return config.requestsPerMinute() > 0 || config.tokensPerMinute() > 0;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
    return paced(TokenEstimate.of(request).total(), () -> innerChat(request, ledgerKey), ChatResponse::usage);
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
    return paced(TokenEstimate.of(request).total(), () -> innerComplete(request, ledgerKey), CompletionResponse::usage);
  }

  @Override
  public List<ListedModel> listedModels() {
    ensureOpen();
    long waitNanos = reserve(0);
    if (waitNanos > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(waitNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransportException("interrupted while waiting for the rate limit: " + inner, 0, e);
      }
    }
    return inner.listedModels();
  }

  @Override
  void closeLayer() {
    timer.shutdownNow();
    for (CompletableFuture<?> call : waiting) {
      call.completeExceptionally(
          new TransportException("the client was closed while the call waited for the rate limit: " + inner, 0, null));
    }
  }

  private <T> CompletableFuture<T> paced(
      double estimate, Supplier<CompletableFuture<T>> call, java.util.function.Function<T, TokenUsage> usageOf) {
    ensureOpen();
    long waitNanos = reserve(estimate);
    if (waitNanos <= 0) {
      return charged(estimate, call, usageOf);
    }
    CompletableFuture<T> later = new CompletableFuture<>();
    waiting.add(later);
    try {
      timer.schedule(() -> {
        if (waiting.remove(later)) {
          charged(estimate, call, usageOf).whenComplete((value, error) -> {
            if (error == null) {
              later.complete(value);
            } else {
              later.completeExceptionally(unwrap(error));
            }
          });
        }
      }, waitNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      waiting.remove(later);
      later.completeExceptionally(
          new TransportException("the client was closed while the call waited for the rate limit: " + inner, 0, null));
    }
    return later;
  }

  /** Sends below and, once answered, charges the token limiter what the server says was used instead of the guess. */
  private <T> CompletableFuture<T> charged(
      double estimate, Supplier<CompletableFuture<T>> call, java.util.function.Function<T, TokenUsage> usageOf) {
    CompletableFuture<T> sent = below(call);
    if (tokenRate == null) {
      return sent;
    }
    return sent.whenComplete((value, error) -> {
      TokenUsage usage = value != null ? usageOf.apply(value)
          : unwrap(error) instanceof WrongModelException wrong ? wrong.usage() : TokenUsage.NONE;
      if (usage.total() > 0) {
        tokenRate.adjust(usage.total() - estimate);
      }
    });
  }

  private long reserve(double tokens) {
    long waitNanos = 0;
    if (requestRate != null) {
      waitNanos = requestRate.reserve(1);
    }
    if (tokenRate != null) {
      waitNanos = Math.max(waitNanos, tokenRate.reserve(tokens));
    }
    return waitNanos;
  }
}
