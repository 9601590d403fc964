package dev.assay.ledger;

import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.LlmException;
import dev.assay.llm.TokenUsage;

/**
 * The result of one ledgered chat call: a response (fresh or replayed from the ledger) or the typed error that
 * ended it.
 *
 * @param key the ledger key
 * @param request what was (or would have been) sent
 * @param response the response, null on error
 * @param fromLedger true when answered without sending a request (see {@link CallOutcome#fromLedger()})
 * @param error the failure, null on success
 */
public record ChatOutcome(
    String key, ChatRequest request, ChatResponse response, boolean fromLedger, LlmException error)
    implements CallOutcome {
  @Override
  public TokenUsage usage() {
    return response == null ? TokenUsage.NONE : response.usage();
  }

  @Override
  public String servedModel() {
    return response == null ? null : response.model();
  }
}
