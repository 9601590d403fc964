package dev.assay.ledger;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The calls a DoFn has started in the current bundle and not yet emitted.
 *
 * <p>Beam lets a DoFn emit only from its own callbacks, not from an HTTP thread, so results wait here until the
 * next {@code processElement} ({@link #drainCompleted}) or {@code finishBundle} ({@link #awaitAll}). Not thread-safe:
 * one instance per DoFn instance, used from its callbacks only.
 *
 * @param <T> what a completed call yields
 */
public final class InFlight<T> {
  private final ArrayDeque<CompletableFuture<T>> pending = new ArrayDeque<>();

  public void add(CompletableFuture<T> call) {
    pending.add(call);
  }

  public int size() {
    return pending.size();
  }

  /** Emits every call that has completed, in the order they were started among the completed ones. */
  public void drainCompleted(Consumer<T> emit) {
    for (Iterator<CompletableFuture<T>> it = pending.iterator(); it.hasNext(); ) {
      CompletableFuture<T> f = it.next();
      if (f.isDone()) {
        it.remove();
        emit.accept(join(f));
      }
    }
  }

  /** Waits for every call, emitting each in start order. */
  public void awaitAll(Consumer<T> emit) {
    while (!pending.isEmpty()) {
      emit.accept(join(pending.poll()));
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a model call", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }
}
