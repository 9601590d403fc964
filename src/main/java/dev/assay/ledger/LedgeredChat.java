package dev.assay.ledger;

import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.LlmException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a chat request unless the ledger already holds its answer; records every fresh answer before handing it on.
 *
 * <p>Recording happens before the caller sees the response, so anything emitted downstream is always replayable. An
 * identical request already in flight in this JVM is not sent again: its answer is shared (its failure is not: the
 * call then sends for itself). The returned future never completes exceptionally for an {@link LlmException}: it
 * completes with a failed {@link ChatOutcome}. Any other exception (a bug, a ledger I/O error) does propagate.
 */
public final class LedgeredChat {
  private final Ledger ledger;
  private final LlmBackend backend;

  public LedgeredChat(Ledger ledger, LlmBackend backend) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.backend = Objects.requireNonNull(backend, "backend");
  }

  /**
   * @param templateVersion the prompt template's {@code id@version}, part of the key ("" when none)
   * @param sample the sample index, part of the key
   */
  public CompletableFuture<ChatOutcome> call(ChatRequest request, String templateVersion, int sample) {
    String key = RequestKey.chat(request, templateVersion, sample);
    return LedgeredCall.call(
                ledger,
        "chat",
        request.model(),
        key,
        request,
        ChatResponse.class,
        // A backend that answers outside the run (batch files) needs the key to put the answer back under.
        r -> backend.chat(r, key),
        ChatOutcome::new);
  }
}
