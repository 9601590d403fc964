package dev.assay.ledger;

import dev.assay.io.Json;
import dev.assay.llm.LlmException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The ledger's call contract, written once for every API ({@link LedgeredChat}, {@link LedgeredCompletion}):
 *
 * <ol>
 *   <li>a key already in the ledger is answered from it, nothing sent;
 *   <li>a key whose identical request is in flight in this JVM (same ledger) waits for that request and shares its
 *       answer, so two DoFn instances asking the same thing at once send it once; if that request fails, the waiting
 *       one sends its own (a failure is not an answer);
 *   <li>otherwise the request is sent, and a response is recorded in the ledger before anyone sees it, so whatever
 *       is emitted downstream can be replayed;
 *   <li>an {@link LlmException} becomes a failed outcome; anything else (a bug, a ledger I/O error) fails the future.
 * </ol>
 */
final class LedgeredCall {
  private LedgeredCall() {}

  /** Builds an API's outcome record; ChatOutcome::new and CompletionOutcome::new fit. */
  @FunctionalInterface
  interface Outcomes<Q, R, O> {
    O of(String key, Q request, R response, boolean fromLedger, LlmException error);
  }

  /** A response or the typed error that replaced it; what an in-flight request shares with its twins. */
  record Answer<R>(R response, LlmException error) {}

  static <Q, R, O> CompletableFuture<O> call(
      Ledger ledger,
      String api,
      String model,
      String key,
      Q request,
      Class<R> responseType,
      Function<Q, CompletableFuture<R>> send,
      Outcomes<Q, R, O> outcomes) {
    Optional<R> replay = replay(ledger, key, responseType);
    if (replay.isPresent()) {
      return CompletableFuture.completedFuture(outcomes.of(key, request, replay.get(), true, null));
    }
    CompletableFuture<Answer<R>> mine = new CompletableFuture<>();
    CompletableFuture<Answer<R>> theirs = ledger.claim(key, mine);
    if (theirs != null) {
      // A failure is not an answer (it is not recorded either): the twin then sends for itself, through its own
      // backend, which may well be another endpoint serving the same model.
      return theirs.thenCompose(
          a ->
              a.error() == null
                  ? CompletableFuture.completedFuture(outcomes.of(key, request, a.response(), true, null))
                  : call(ledger, api, model, key, request, responseType, send, outcomes));
    }
    // The twin may have finished between the lookup and the claim: it recorded before it released its claim.
    replay = replay(ledger, key, responseType);
    if (replay.isPresent()) {
      ledger.unclaim(key, mine);
      mine.complete(new Answer<>(replay.get(), null));
      return CompletableFuture.completedFuture(outcomes.of(key, request, replay.get(), true, null));
    }
    CompletableFuture<R> sent;
    try {
      sent = send.apply(request);
    } catch (RuntimeException e) {
      ledger.unclaim(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    sent.whenComplete(
        (response, thrown) -> {
          Answer<R> answer = null;
          Throwable broken = null;
          try {
            Throwable cause = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
            if (cause == null) {
              ledger.append(new LedgerEntry(key, api, model, Json.line(request), Json.line(response)));
              answer = new Answer<>(response, null);
            } else if (cause instanceof LlmException llm) {
              answer = new Answer<>(null, llm);
            } else {
              broken = cause;
            }
          } catch (RuntimeException e) {
            broken = e; // a ledger that cannot record must stop the run, twins included
          }
          // Released before completing: twins run on this thread when it completes, and one that reacts to a
          // failure by sending again must find the claim free (else it would join this failed call forever).
          ledger.unclaim(key, mine);
          if (broken == null) {
            mine.complete(answer);
          } else {
            mine.completeExceptionally(broken);
          }
        });
    return mine.thenApply(a -> outcomes.of(key, request, a.response(), false, a.error()));
  }

  private static <R> Optional<R> replay(Ledger ledger, String key, Class<R> type) {
    return ledger.lookup(key).map(e -> Json.parse(e.response(), type));
  }
}
