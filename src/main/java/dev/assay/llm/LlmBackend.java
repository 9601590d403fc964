package dev.assay.llm;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An OpenAI-compatible endpoint as the pipeline sees it: asynchronous calls that complete with a parsed response or
 * fail with an {@link LlmException} subtype after the configured retries.
 *
 * <p>Implementations bound in-flight requests and rates JVM-wide for their endpoint, so many DoFn instances can
 * share one. The futures never complete with a secret in an exception message.
 */
public interface LlmBackend extends AutoCloseable {
  CompletableFuture<ChatResponse> chat(ChatRequest request);

  CompletableFuture<CompletionResponse> complete(CompletionRequest request);

  /**
   * As {@link #chat(ChatRequest)}, told the ledger key the answer will be recorded under. The ledger's callers always
   * call this one, so that client layers ({@code Endpoints.decorate}) can hand the key down to a backend that needs
   * it ({@link KeyAwareBackend}); a backend that does not need it ignores it (the default).
   */
  default CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
    return chat(request);
  }

  /** As {@link #chat(ChatRequest, String)} for {@link #complete(CompletionRequest)}. */
  default CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
    return complete(request);
  }

  /** The model ids the endpoint serves ({@code GET /v1/models}). */
  List<String> models();

  /**
   * The model list with what the server says of each model ({@code owned_by}); backends that only know ids answer
   * with a null owner. Same failures as {@link #models()}.
   */
  default List<ListedModel> listedModels() {
    return models().stream().map(id -> new ListedModel(id, null)).toList();
  }

  /** Counters since this backend was created. */
  EndpointStats stats();

  /**
   * Retries since the last call of this method, JVM-wide for the endpoint: each retry is handed out once, to whichever
   * caller asks first. DoFns call it after awaiting their bundle's calls and add the result to a Beam counter, so the
   * manifest's retries add up across workers in other JVMs, where the driver cannot read the clients. Backends that
   * never retry return 0.
   */
  default long takeRetries() {
    return 0;
  }

  /**
   * Whether the backend's budget cap is reached, so that new calls fail with {@link BudgetExceededException}
   * without being sent. Lets a pipeline stop feeding calls cleanly. Backends without a budget never are.
   */
  default boolean budgetExhausted() {
    return false;
  }

  @Override
  void close();
}
