package dev.assay.llm;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry layer: a call whose attempt failed with a {@link LlmException#retryable() retryable} type is sent again,
 * up to {@code max_retries} more times, after exponential backoff with full jitter or the server's
 * {@code Retry-After}, both capped by {@code max_backoff_ms}. Other failures fail the call at once. The call then
 * fails with the last attempt's exception, carrying the number of requests sent. With {@code stop_on_repeated_error},
 * a 5xx (not 502-504) whose status and body equal the previous attempt's answer fails at once, its message saying so.
 *
 * <p>Retries wait on this layer's timer thread, never on the caller's; the layers below must not block (the rate
 * limit waits on its own timer). {@link #stats()} counts logical calls: succeeded, failed and the retries among the
 * requests below. {@link #close()} fails every call still waiting here with a {@link TransportException}.
 */
final class RetryingBackend extends ForwardingBackend {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingBackend.class);

  private final EndpointConfig config;
  private final ScheduledThreadPoolExecutor timer;
  private final Set<Retried<?>> pending = ConcurrentHashMap.newKeySet();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder retries = new LongAdder();
  /** Retries already handed to {@link #takeRetries()}. */
  private final AtomicLong retriesTaken = new AtomicLong();

  RetryingBackend(LlmBackend inner, EndpointConfig config, String threadName) {
    super(inner);
    this.config = config;
    this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(threadName + "-retry"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
    return start(() -> innerChat(request, ledgerKey));
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
    return start(() -> innerComplete(request, ledgerKey));
  }

  /** Lists the models with the same retries as other calls, waiting in the caller's thread (it blocks anyway). */
  @Override
  public List<ListedModel> listedModels() {
    ensureOpen();
    Outcome state = new Outcome();
    while (true) {
      state.attempts++;
      countAttempt(state);
      try {
        List<ListedModel> models = inner.listedModels();
        succeeded.increment();
        return models;
      } catch (LlmException error) {
        LlmException last = state.judge(error);
        if (last != null) {
          failed.increment();
          throw last;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(state.delayMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failed.increment();
          throw new TransportException("interrupted before retry " + state.attempts + ": " + error.getMessage(),
              state.attempts, error);
        }
      }
    }
  }

  @Override
  public EndpointStats stats() {
    EndpointStats below = inner.stats();
    return new EndpointStats(below.requests(), succeeded.sum(), retries.sum(), failed.sum(), below.promptTokens(),
        below.completionTokens(), below.estimatedCost());
  }

  @Override
  public long takeRetries() {
    long now = retries.sum();
    while (true) {
      long taken = retriesTaken.get();
      if (now <= taken) {
        return 0;
      }
      if (retriesTaken.compareAndSet(taken, now)) {
        return now - taken;
      }
    }
  }

  @Override
  void closeLayer() {
    timer.shutdownNow();
    for (Retried<?> call : pending) {
      call.fail(new TransportException("the client was closed while the call was pending: " + inner,
          call.state.attempts, null));
    }
  }

  private <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> attempt) {
    ensureOpen();
    Retried<T> call = new Retried<>(attempt);
    pending.add(call);
    call.next();
    return call.future;
  }

  private void countAttempt(Outcome state) {
    if (state.attempts > 1) {
      retries.increment();
    }
  }

  /** What one logical call has seen so far: its attempts, the last 5xx answer, the wait before the next attempt. */
  private final class Outcome {
    int attempts;
    /** The previous attempt's 5xx answer (status and body), for stop_on_repeated_error; null after other outcomes. */
    String lastErrorAnswer;
    long delayMs;

    /**
     * Reads a failed attempt: returns the exception the call fails with, or null to try again after
     * {@link #delayMs}.
     */
    LlmException judge(LlmException error) {
      LlmException outcome = error;
      if (error instanceof ServerErrorException server) {
        int code = server.status();
        // 502, 503 and 504 mean "try later", and a server still loading its model says so identically every time.
        if (config.stopOnRepeatedError() && code != 502 && code != 503 && code != 504) {
          String answer = code + "\n" + server.answer();
          String previous = lastErrorAnswer;
          lastErrorAnswer = answer;
          if (answer.equals(previous)) {
            // The server is deterministic about this request: another attempt would get this answer a third time.
            outcome = new ServerErrorException(code, server.getMessage() + "; the same answer twice in a row (status"
                + " and body), so not retried (stop_on_repeated_error)", attempts,
                server.retryAfter().orElse(null), server.answer());
            outcome.attempts(attempts);
            return outcome;
          }
        }
      } else {
        lastErrorAnswer = null; // "in a row": a timeout or reset between two 500s breaks the repetition
      }
      error.attempts(attempts);
      if (!error.retryable() || attempts > config.maxRetries() || isClosed()) {
        return error;
      }
      Duration asked = error.retryAfter().orElse(null);
      delayMs = asked != null
          ? Math.min(asked.toMillis(), config.maxBackoffMs())
          : Backoff.jitteredMillis(
              attempts, config.initialBackoffMs(), config.maxBackoffMs(), ThreadLocalRandom.current().nextDouble());
      LOG.debug("{}; retry {} of {} in {} ms", error.getMessage(), attempts, config.maxRetries(), delayMs);
      return null;
    }
  }

  /** One logical call sent through the attempts below. */
  private final class Retried<T> {
    final Supplier<CompletableFuture<T>> attempt;
    final Outcome state = new Outcome();
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    Retried(Supplier<CompletableFuture<T>> attempt) {
      this.attempt = attempt;
    }

    void next() {
      if (finished.get()) {
        return;
      }
      state.attempts++;
      countAttempt(state);
      below(attempt).whenComplete((value, error) -> {
        if (error == null) {
          if (finished.compareAndSet(false, true)) {
            // Counted before the caller hears of it, so a caller reading the stats sees its own call.
            succeeded.increment();
            pending.remove(this);
            future.complete(value);
          }
        } else {
          failedAttempt(unwrap(error));
        }
      });
    }

    private void failedAttempt(Throwable error) {
      if (!(error instanceof LlmException typed)) {
        fail(error); // a defect below: not a cause worth another request
        return;
      }
      LlmException last = state.judge(typed);
      if (last != null) {
        fail(last);
        return;
      }
      try {
        timer.schedule(this::next, state.delayMs, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shutDown) {
        fail(new TransportException("the client was closed before retry " + state.attempts + ": "
            + typed.getMessage(), state.attempts, typed));
      }
    }

    void fail(Throwable error) {
      if (finished.compareAndSet(false, true)) {
        failed.increment();
        pending.remove(this);
        future.completeExceptionally(error);
      }
    }
  }
}
