package dev.assay.llm;

import static dev.assay.llm.TestEndpoints.chatBody;
import static dev.assay.llm.TestEndpoints.chatRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's layers ({@link Endpoints#decorate}) around backends: the bare HTTP client sends each call once, and
 * another backend, written as one class that knows nothing of retries or budgets, gets them by going through
 * {@link Endpoints#decorate}.
 */
class BackendLayersTest {
  @RegisterExtension final MockEndpoint endpoint = new MockEndpoint();

  /** A backend in one class: answers from a script of outcomes, counting what it was asked and charged. */
  private static final class Scripted implements LlmBackend {
    final Deque<Object> script = new ArrayDeque<>();
    final AtomicInteger calls = new AtomicInteger();
    long tokens;
    volatile boolean closed;

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      calls.incrementAndGet();
      Object next = script.poll();
      if (next instanceof LlmException e) {
        return CompletableFuture.failedFuture(e);
      }
      tokens += 10;
      return CompletableFuture.completedFuture(
          new ChatResponse(request.model(), List.of(new ChatChoice(0, "ok", "stop", null)), new TokenUsage(6, 4)));
    }

    @Override
    public CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
      throw new UnsupportedOperationException("this test backend scripts chat answers only; no test here sends a completion");
    }

    @Override
    public List<String> models() {
      return List.of("test-model");
    }

    @Override
    public EndpointStats stats() {
      return new EndpointStats(calls.get(), 0, 0, 0, tokens * 6 / 10, tokens * 4 / 10, 0);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static EndpointConfig limits(Long budgetTokens) {
    return TestEndpoints.bound("http://127.0.0.1:9/v1", budgetTokens == null
        ? java.util.Map.of() : java.util.Map.of("budget_tokens", budgetTokens));
  }

  @Test
  void aBackendOfOneClassIsRetriedAndCountedByTheLayers() {
    Scripted bare = new Scripted();
    bare.script.add(new ServerErrorException(500, "boom", 1));
    bare.script.add(new RateLimitedException("slow down", java.time.Duration.ofMillis(1), 1));
    try (LlmBackend client = Endpoints.decorate(bare, limits(null))) {
      ChatResponse answer = client.chat(chatRequest()).join();

      assertThat(answer.choices().get(0).content(), is("ok"));
      assertThat(bare.calls.get(), is(3));
      EndpointStats stats = client.stats();
      assertThat(stats.requests(), is(3L));
      assertThat(stats.retries(), is(2L));
      assertThat(stats.succeeded(), is(1L));
      assertThat(stats.failed(), is(0L));
      assertThat(client.takeRetries(), is(2L));
      assertThat(client.takeRetries(), is(0L));
    }
    assertThat(bare.closed, is(true));
  }

  @Test
  void aClientErrorFromAnyBackendIsNotRetriedAndCarriesTheAttempts() {
    Scripted bare = new Scripted();
    bare.script.add(new ServerErrorException(500, "boom", 1));
    bare.script.add(new ClientErrorException(400, "bad", "rejected (400)", 1));
    try (LlmBackend client = Endpoints.decorate(bare, limits(null))) {
      CompletionException e = assertThrows(CompletionException.class, () -> client.chat(chatRequest()).join());

      assertThat(e.getCause(), instanceOf(ClientErrorException.class));
      assertThat(((LlmException) e.getCause()).attempts(), is(2));
      assertThat(bare.calls.get(), is(2));
      assertThat(client.stats().failed(), is(1L));
    }
  }

  @Test
  void theBudgetLayerStopsAnyBackendOnTheTokensItReports() {
    Scripted bare = new Scripted();
    try (LlmBackend client = Endpoints.decorate(bare, limits(15L))) {
      client.chat(chatRequest()).join();
      client.chat(chatRequest()).join(); // 10 tokens spent before it: under the cap of 15
      CompletionException e = assertThrows(CompletionException.class, () -> client.chat(chatRequest()).join());

      assertThat(e.getCause(), instanceOf(BudgetExceededException.class));
      assertThat(bare.calls.get(), is(2));
      assertThat(client.budgetExhausted(), is(true));
      assertThat(client.stats().failed(), is(1L));
    }
  }

  @Test
  void theBareHttpClientSendsEachCallOnce() throws Exception {
    endpoint.server().enqueue(new MockResponse.Builder().code(500).body("boom").build());
    endpoint.server().enqueue(new MockResponse.Builder().code(200).body(chatBody("ok", 1, 1)).build());
    try (OpenAiClient bare =
        new OpenAiClient(TestEndpoints.bound(endpoint.server().url("/v1").toString(),
            java.util.Map.of("served_model", "served-model")), n -> null)) {
      CompletionException e = assertThrows(CompletionException.class, () -> bare.chat(chatRequest()).join());

      assertThat(e.getCause(), instanceOf(ServerErrorException.class));
      assertThat(((ServerErrorException) e.getCause()).answer(), is("boom"));
      assertThat(((LlmException) e.getCause()).attempts(), is(1));
      assertThat(endpoint.server().getRequestCount(), equalTo(1));
      assertThat(bare.stats().requests(), is(1L));
      assertThat(bare.stats().failed(), is(1L));
      assertThat(bare.chat(chatRequest()).get(10, TimeUnit.SECONDS).model(), is("served-model"));
    }
  }
}
