package dev.assay.ledger;

import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.LlmException;
import dev.assay.llm.TokenUsage;

/**
 * The result of one ledgered completions call (log-prob scoring): a response (fresh or replayed from the ledger) or
 * the typed error that ended it.
 *
 * @param key the ledger key ({@link RequestKey#completion})
 * @param request what was (or would have been) sent
 * @param response the response with its token log-probs, null on error
 * @param fromLedger true when answered without sending a request (see {@link CallOutcome#fromLedger()})
 * @param error the failure, null on success
 */
public record CompletionOutcome(
    String key, CompletionRequest request, CompletionResponse response, boolean fromLedger, LlmException error)
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
