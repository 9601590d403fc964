package dev.assay.ledger;

import dev.assay.llm.LlmException;
import dev.assay.llm.TokenUsage;

/**
 * What every ledgered model call reports, whatever its API: its ledger key, whether a request was sent for it, the
 * typed error that ended it, and the tokens its response cost. Lets stage metrics count calls in one place.
 */
public sealed interface CallOutcome permits ChatOutcome, CompletionOutcome {
  /** The {@link RequestKey} of the request. */
  String key();

  /**
   * True when the answer came without sending a request: replayed from the ledger, or shared with an identical
   * request that was in flight at the same time.
   */
  boolean fromLedger();

  /** The failure after retries, or null on success. */
  LlmException error();

  default boolean ok() {
    return error() == null;
  }

  /** The tokens the server reported for the response; {@link TokenUsage#NONE} on error. */
  TokenUsage usage();

  /** The model the response names (the requested one, when the server named none); null on error. */
  String servedModel();
}
