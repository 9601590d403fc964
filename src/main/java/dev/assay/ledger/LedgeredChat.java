package dev.assay.ledger;

import dev.assay.io.Json;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.LlmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends a chat request unless the ledger already holds its answer; records every fresh answer before handing it on.
 *
 * <p>Recording happens before the caller sees the response, so anything emitted downstream is always replayable.
 * The returned future never completes exceptionally for an {@link LlmException}: it completes with a failed
 * {@link ChatOutcome}. Any other exception (a bug, a ledger I/O error) does propagate.
 */
public final class LedgeredChat {
  private final Ledger ledger;
  private final LlmBackend backend;

  public LedgeredChat(Ledger ledger, LlmBackend backend) {
    this.ledger = ledger;
    this.backend = backend;
  }

  public CompletableFuture<ChatOutcome> call(ChatRequest request, String templateVersion, int sample) {
    String key = RequestKey.chat(request, templateVersion, sample);
    var hit = ledger.lookup(key);
    if (hit.isPresent()) {
      ChatResponse cached = Json.parse(hit.get().response(), ChatResponse.class);
      return CompletableFuture.completedFuture(new ChatOutcome(key, request, cached, true, null));
    }
    return backend
        .chat(request)
        .handle(
            (response, thrown) -> {
              if (thrown == null) {
                ledger.append(new LedgerEntry(key, "chat", request.model(), Json.line(request), Json.line(response)));
                return new ChatOutcome(key, request, response, false, null);
              }
              Throwable cause = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
              if (cause instanceof LlmException llm) {
                return new ChatOutcome(key, request, null, false, llm);
              }
              throw new CompletionException(cause);
            });
  }
}
