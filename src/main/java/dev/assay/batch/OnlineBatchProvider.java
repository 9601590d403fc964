package dev.assay.batch;

import dev.assay.llm.BackendProvider;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.KeyAwareBackend;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.Endpoints;
import dev.assay.llm.LlmBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands every DoFn of a JVM one {@link OnlineBatchBackend} per endpoint and run ({@code runToken}), so that the calls of
 * all DoFns are collected into the same batches, and a new run on the same directory (a resume) starts a new backend
 * that reads the journal again.
 *
 * @param endpoint the recipe's endpoint name
 * @param config the endpoint (in batch mode)
 * @param dir this endpoint's folder under the run's {@code batch/online/}, as a string (serializable)
 * @param runToken unique per run invocation
 */
public record OnlineBatchProvider(String endpoint, EndpointConfig config, String dir, String runToken) implements BackendProvider {
  /** A run's backend for one endpoint: the batch backend, and it inside the endpoint's client layers. */
  private record Open(OnlineBatchBackend batches, LlmBackend layered) {}

  private static final Map<String, Open> OPEN = new ConcurrentHashMap<>();

  public OnlineBatchProvider {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(runToken, "runToken");
  }

  /** The provider of {@code endpoint} for a run in {@code runDir}. */
  public static OnlineBatchProvider of(String endpoint, EndpointConfig config, Path runDir, String runToken) {
    return new OnlineBatchProvider(
        endpoint, config, runDir.resolve("batch").resolve("online").resolve(endpoint).toAbsolutePath().normalize().toString(), runToken);
  }

  /**
   * A DoFn's handle on the run's shared backend, inside the endpoint's client layers ({@link Endpoints#decorate}:
   * in-flight bound, budget cap, rate limits): closing it (a DoFn's teardown) leaves the backend polling.
   */
  @Override
  public LlmBackend get() {
    return new Lease(open().layered());
  }

  /** The run's batch backend for this endpoint, without the layers (its counters: batches created, resubmitted). */
  public OnlineBatchBackend shared() {
    return open().batches();
  }

  private Open open() {
    return OPEN.computeIfAbsent(runToken + "\u0000" + endpoint, k -> {
      OnlineBatchBackend batches = new OnlineBatchBackend(endpoint, config, Path.of(dir), System::getenv);
      return new Open(batches, Endpoints.decorate(batches, config));
    });
  }

  private record Lease(LlmBackend layered) implements KeyAwareBackend {
    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
      return layered.chat(request, ledgerKey);
    }

    @Override
    public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
      return layered.complete(request, ledgerKey);
    }

    @Override
    public List<String> models() {
      return layered.models();
    }

    @Override
    public EndpointStats stats() {
      return layered.stats();
    }

    @Override
    public boolean budgetExhausted() {
      return layered.budgetExhausted();
    }

    @Override
    public void close() {}
  }

  /** Stops the backends of a run (their pollers and the layers' timers), once the run no longer needs them. */
  public static void closeRun(String runToken) {
    OPEN.entrySet().removeIf(e -> {
      if (e.getKey().startsWith(runToken + "\u0000")) {
        e.getValue().layered().close();
        return true;
      }
      return false;
    });
  }
}
