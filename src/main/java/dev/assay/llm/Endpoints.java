package dev.assay.llm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The registry of shared endpoint clients: one {@link OpenAiClient} per (endpoint name, config) in this JVM, so
 * that all DoFn instances of a worker share one connection pool, one in-flight bound, one rate limit and one budget.
 *
 * <p>It is per JVM, on purpose: each Beam worker (each Flink task manager) has its own registry and its own
 * clients, so limits hold per worker, not across a cluster. Size {@code max_in_flight} and the rate limits for one
 * worker accordingly.
 *
 * <p>Usage from a DoFn: call {@link #shared} in {@code @Setup}, keep the result in a {@code transient} field and
 * {@code close()} it in {@code @Teardown}. Each {@code shared} call returns a lease that counts as one reference;
 * the client is closed when the last lease is closed (or by {@link #closeAll()}). A closed lease refuses further
 * calls with {@link IllegalStateException}. Tests that want a client of their own construct {@link OpenAiClient}
 * directly, or use {@link #unshared}.
 */
public final class Endpoints {
  private record Key(String name, EndpointConfig config) {}

  private static final class Entry {
    final OpenAiClient client;
    int leases;

    Entry(OpenAiClient client) {
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
      entry = new Entry(new OpenAiClient(config, env));
      OPEN.put(key, entry);
    }
    entry.leases++;
    return new Lease(key, entry.client);
  }

  /** A private client that no one else shares; the caller closes it. */
  public static OpenAiClient unshared(EndpointConfig config, Function<String, String> env) {
    return new OpenAiClient(config, env);
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

  private static synchronized void release(Key key, OpenAiClient client) {
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
    private final OpenAiClient client;
    private final AtomicBoolean released = new AtomicBoolean();

    Lease(Key key, OpenAiClient client) {
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

    private OpenAiClient open() {
      if (released.get()) {
        throw new IllegalStateException("this lease on endpoint '" + key.name() + "' is closed");
      }
      return client;
    }
  }
}
