package dev.assay.testing;

import dev.assay.llm.BackendProvider;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.LlmBackend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A scripted in-memory backend for transform tests: answers each chat request with a function of it, completing
 * asynchronously on another thread as a real client does. Registered by name so a serializable provider can find it
 * on the (in-process) worker. Counts the calls it received.
 */
public final class FakeBackend implements LlmBackend {
  private static final Map<String, FakeBackend> REGISTRY = new ConcurrentHashMap<>();

  private final Function<ChatRequest, ChatResponse> answer;
  private final AtomicLong calls = new AtomicLong();

  private FakeBackend(Function<ChatRequest, ChatResponse> answer) {
    this.answer = answer;
  }

  /** Registers a backend under {@code name} and returns a provider that finds it. */
  public static BackendProvider register(String name, Function<ChatRequest, ChatResponse> answer) {
    REGISTRY.put(name, new FakeBackend(answer));
    return () -> REGISTRY.get(name);
  }

  public static FakeBackend get(String name) {
    return REGISTRY.get(name);
  }

  public long calls() {
    return calls.get();
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    calls.incrementAndGet();
    return CompletableFuture.supplyAsync(() -> answer.apply(request));
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("completions are not scripted"));
  }

  @Override
  public List<String> models() {
    return List.of("fake");
  }

  @Override
  public EndpointStats stats() {
    return new EndpointStats(calls.get(), 0, 0, 0, 0, 0, 0);
  }

  @Override
  public void close() {}
}
