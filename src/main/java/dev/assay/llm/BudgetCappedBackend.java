package dev.assay.llm;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The budget layer: once the spend reported below reaches {@code budget_tokens} or {@code budget_cost} (at the
 * endpoint's prices, less {@code batch_discount} in batch mode), or the layer below says its budget is exhausted (a
 * batch backend counts its submitted batches as spent), new chat and completion calls fail with {@link BudgetExceededException} without sending
 * anything; calls already past this layer complete normally, so the spend may end slightly above the cap. Listing
 * models spends nothing and is never refused. It sits inside the in-flight bound, so a call that waited for a slot
 * is checked after the wait. A refused call counts as a failed call with no request.
 */
final class BudgetCappedBackend extends ForwardingBackend {
  private final EndpointConfig config;
  private final LongAdder refused = new LongAdder();

  /** Caps from {@code config}; build it only when one of the two caps is set. */
  BudgetCappedBackend(LlmBackend inner, EndpointConfig config) {
    super(inner);
    this.config = config;
  }

  /** Whether {@code config} sets a cap, so that the layer is worth building. */
  static boolean caps(EndpointConfig config) {
    return config.budgetTokens() > 0 || config.budgetCost() > 0;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
    ensureOpen();
    String reached = reached();
    return reached != null ? refuse("chat call", reached) : innerChat(request, ledgerKey);
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
    ensureOpen();
    String reached = reached();
    return reached != null ? refuse("completions call", reached) : innerComplete(request, ledgerKey);
  }

  @Override
  public boolean budgetExhausted() {
    return reached() != null;
  }

  @Override
  public EndpointStats stats() {
    EndpointStats below = inner.stats();
    return new EndpointStats(below.requests(), below.succeeded(), below.retries(), below.failed() + refused.sum(),
        below.promptTokens(), below.completionTokens(), below.estimatedCost());
  }

  private <T> CompletableFuture<T> refuse(String what, String reached) {
    refused.increment();
    return CompletableFuture.failedFuture(new BudgetExceededException(what + " to " + inner + ": " + reached));
  }

  /** Why new calls are refused, or null while the budget lasts. */
  private String reached() {
    EndpointStats spent = inner.stats();
    long tokens = spent.promptTokens() + spent.completionTokens();
    if (config.budgetTokens() > 0 && tokens >= config.budgetTokens()) {
      return "token budget of " + config.budgetTokens() + " reached (" + tokens + " spent); call not sent";
    }
    double cost = config.billedCost(spent.promptTokens(), spent.completionTokens());
    if (config.budgetCost() > 0 && cost >= config.budgetCost()) {
      return String.format(
          Locale.ROOT, "cost budget of %.4f reached (%.4f spent); call not sent", config.budgetCost(), cost);
    }
    if (inner.budgetExhausted()) {
      // A batch backend below counts what its submitted batches may still cost, which the spend above does not.
      return "the budget is committed to batches already submitted (" + tokens + " tokens spent so far); call not sent";
    }
    return null;
  }
}
