package dev.assay.llm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Where model clients are composed, and the registry of shared ones: one client per (endpoint name, config) in this
 * JVM, so that all DoFn instances of a worker share one connection pool, one in-flight bound, one rate limit and one
 * budget.
 *
 * <p>A client is a bare backend ({@link OpenAiClient}: one call, one HTTP request, typed errors) inside the layers
 * {@link #decorate} puts around it, outermost first: the in-flight bound ({@code max_in_flight} logical calls, the
 * caller waits), the budget cap, retries with backoff, the rate limits (per attempt) and the adaptive window (AIMD
 * on attempts on the wire). Any other {@link LlmBackend} gets the same behaviour by going through
 * {@link #decorate}; the layers read their settings from the endpoint's {@link EndpointConfig}.
 *
 * <p>It is per JVM, on purpose: each Beam worker (each Flink task manager) has its own registry and its own
 * clients, so limits hold per worker, not across a cluster. Size {@code max_in_flight} and the rate limits for one
 * worker accordingly.
 *
 * <p>Usage from a DoFn: call {@link #shared} in {@code @Setup}, keep the result in a {@code transient} field and
 * {@code close()} it in {@code @Teardown}. Each {@code shared} call returns a lease that counts as one reference;
 * the client is closed when the last lease is closed (or by {@link #closeAll()}). A closed lease refuses further
 * calls with {@link IllegalStateException}. Tests that want a client of their own use {@link #unshared} (or
 * construct the bare {@link OpenAiClient}, which sends each call once).
 */
public final class Endpoints {
  private record Key(String name, EndpointConfig config) {}

  private static final class Entry {
    final LlmBackend client;
    int leases;

    Entry(LlmBackend client) {
      this.client = client;
    }
  }

  // Guarded by Endpoints.class.
  private static final Map<Key, Entry> OPEN = new HashMap<>();

  private Endpoints() {}

  /**
   * A lease on the JVM-wide client for this endpoint, created on first use with the key from the process
   * environment.
   *
   * @throws IllegalArgumentException if the config's API key variable is not set
   */
  public static LlmBackend shared(String name, EndpointConfig config) {
    return shared(name, config, System::getenv);
  }

  /** As {@link #shared(String, EndpointConfig)}, reading the API key through {@code env} (for tests). */
  static synchronized LlmBackend shared(String name, EndpointConfig config, Function<String, String> env) {
    Objects.requireNonNull(name, "name");
    Key key = new Key(name, Objects.requireNonNull(config, "config"));
    Entry entry = OPEN.get(key);
    if (entry == null) {
      entry = new Entry(unshared(config, env));
      OPEN.put(key, entry);
    }
    entry.leases++;
    return new Lease(key, entry.client);
  }

  /**
   * A private client that no one else shares, with every layer ({@link #decorate}); the caller closes it.
   *
   * @throws IllegalArgumentException as {@link OpenAiClient#OpenAiClient(EndpointConfig, Function)}
   */
  public static LlmBackend unshared(EndpointConfig config, Function<String, String> env) {
    return decorate(new OpenAiClient(config, env), config);
  }

  /**
   * {@code bare} inside the client layers, configured by {@code config}; closing the result closes {@code bare}. The
   * one place an endpoint's layers are composed, for both modes. The rate-limit and budget layers are left out when
   * the config sets no rate or cap, as they would do nothing.
   *
   * <p>Online ({@code mode: online}): the in-flight bound, the budget cap, retries, the rate limits and the adaptive
   * window, outermost first. In batch mode ({@code mode: batch}, {@code bare} a batch backend that needs the ledger
   * key, which every layer hands down): the in-flight bound, the budget cap and the rate limits (pacing calls into
   * batches); no retry layer, since a batch backend retries a whole batch's API calls and resubmits its failed lines
   * itself, and a retry here would send a line twice; no adaptive window, which reads answers on the wire. A batch
   * call is in flight from its arrival until its batch answers it, so the bound is at least {@code
   * batch.max_requests}: a smaller one would cut every batch down to it.
   *
   * <p>{@code bare} must not block in {@code chat} or {@code complete} (retries and rate waits start attempts from
   * the layers' timer threads), must fail with the typed {@link LlmException} subtypes (the retry layer reads the
   * type and {@link LlmException#retryAfter()}), and must refuse calls with {@link IllegalStateException} once
   * closed. Its {@link LlmBackend#stats()} counts requests and tokens; the layers count calls, retries and refusals.
   */
  public static LlmBackend decorate(LlmBackend bare, EndpointConfig config) {
    Objects.requireNonNull(bare, "bare");
    Objects.requireNonNull(config, "config");
    String threadName = "assay-llm-" + config.model();
    boolean batch = config.batchMode();
    LlmBackend layered = batch ? bare : new AdaptiveWindowBackend(bare, config.minInFlight(), config.maxInFlight());
    if (RateLimitedBackend.limits(config)) {
      layered = new RateLimitedBackend(layered, config, threadName);
    }
    if (!batch) {
      layered = new RetryingBackend(layered, config, threadName);
    }
    if (BudgetCappedBackend.caps(config)) {
      layered = new BudgetCappedBackend(layered, config);
    }
    return new InFlightBoundBackend(layered, batch ? Math.max(config.maxInFlight(), config.batch().maxRequests()) : config.maxInFlight());
  }

  /**
   * Waits for a call that the caller wanted blocking, failing with its typed {@link LlmException} rather than the
   * {@link CompletionException} around it.
   */
  static <T> T await(CompletableFuture<T> call) {
    try {
      return call.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof LlmException typed) {
        throw typed;
      }
      throw e;
    }
  }

  /** Closes every shared client, failing their pending calls; outstanding leases then refuse calls. */
  public static synchronized void closeAll() {
    for (Entry entry : OPEN.values()) {
      entry.client.close();
    }
    OPEN.clear();
  }

  /** How many shared clients are open (for tests and diagnostics). */
  static synchronized int openClients() {
    return OPEN.size();
  }

  private static synchronized void release(Key key, LlmBackend client) {
    Entry entry = OPEN.get(key);
    // After closeAll (or a re-creation) the entry is gone or belongs to a newer client: nothing to release.
    if (entry == null || entry.client != client) {
      return;
    }
    if (--entry.leases == 0) {
      OPEN.remove(key);
      client.close();
    }
  }

  /** One reference to a shared client; closing it closes the client only when it was the last reference. */
  private static final class Lease implements LlmBackend {
    private final Key key;
    private final LlmBackend client;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(Key key, LlmBackend client) {
      this.key = key;
      this.client = client;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
      return open().chat(request);
    }

    @Override
    public CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
      return open().complete(request);
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
      return open().chat(request, ledgerKey);
    }

    @Override
    public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
      return open().complete(request, ledgerKey);
    }

    @Override
    public List<String> models() {
      return open().models();
    }

    @Override
    public List<ListedModel> listedModels() {
      return open().listedModels();
    }

    @Override
    public EndpointStats stats() {
      return client.stats();
    }

    @Override
    public boolean budgetExhausted() {
      return client.budgetExhausted();
    }

    @Override
    public long takeRetries() {
      return client.takeRetries();
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release(key, client);
      }
    }

    @Override
    public String toString() {
      return "shared endpoint '" + key.name() + "': " + client;
    }

    private LlmBackend open() {
      if (released.get()) {
        throw new IllegalStateException("this lease on endpoint '" + key.name() + "' is closed");
      }
      return client;
    }
  }
}
