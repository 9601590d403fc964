package dev.assay.llm;

import static dev.assay.llm.TestEndpoints.ENV;
import static dev.assay.llm.TestEndpoints.KEY_VAR;
import static dev.assay.llm.TestEndpoints.SECRET;
import static dev.assay.llm.TestEndpoints.chatBody;
import static dev.assay.llm.TestEndpoints.chatRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiClientTest {
  private MockWebServer server;
  private final List<LlmBackend> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    clients.forEach(LlmBackend::close);
    server.close();
  }

  private TestEndpoints.Cfg cfg() {
    return new TestEndpoints.Cfg(server.url("/v1").toString());
  }

  private LlmBackend client(TestEndpoints.Cfg cfg) {
    LlmBackend client = Endpoints.unshared(cfg.build(), ENV);
    clients.add(client);
    return client;
  }

  private static MockResponse ok(String body) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
  }

  private static MockResponse status(int code, String body) {
    return new MockResponse.Builder().code(code).body(body).build();
  }

  /** The failure of a future, unwrapped; fails the test if the future succeeded. */
  private static Throwable failure(CompletableFuture<?> future) throws InterruptedException {
    try {
      Object value = future.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      assertNoSecret(e.getCause());
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("future did not complete", e);
    }
  }

  private static void assertNoSecret(Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString(), not(containsString(SECRET)));
  }

  private JsonNode sentJson(RecordedRequest request) throws Exception {
    return Json.mapper().readTree(request.getBody().utf8());
  }

  @Test
  void chatSendsTheRequestAndParsesTheAnswer() throws Exception {
    server.enqueue(ok(chatBody("A is better.", 21, 4)));
    LlmBackend client = client(cfg());

    ChatResponse response = client.chat(chatRequest()).get(10, TimeUnit.SECONDS);

    assertThat(response.model(), equalTo("served-model"));
    assertThat(response.choices(), contains(new ChatChoice(0, "A is better.", "stop")));
    assertThat(response.usage(), equalTo(new TokenUsage(21, 4)));
    RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(sent.getMethod(), equalTo("POST"));
    assertThat(sent.getUrl().encodedPath(), equalTo("/v1/chat/completions"));
    assertThat(sent.getHeaders().get("Authorization"), equalTo("Bearer " + SECRET));
    JsonNode body = sentJson(sent);
    assertThat(body.get("model").asText(), equalTo("test-model"));
    assertThat(body.get("n").asInt(), equalTo(1));
    assertThat(body.get("seed").asLong(), equalTo(42L));
    assertThat(body.get("max_tokens").asInt(), equalTo(64));
    assertThat(body.get("temperature").asDouble(), equalTo(0.7));
    assertThat(body.get("top_p").asDouble(), equalTo(0.95));
    assertThat(body.get("messages").size(), equalTo(2));
    assertThat(body.get("messages").get(0).get("role").asText(), equalTo("system"));
    assertThat(body.get("messages").get(1).get("content").asText(), equalTo("Which is better, A or B?"));
    assertThat(client.stats(), equalTo(new EndpointStats(1, 1, 0, 0, 21, 4, 0.0)));
  }

  @Test
  void chatWithoutKeyOrSeedSendsNeither() throws Exception {
    server.enqueue(ok(chatBody("ok", 1, 1)));
    TestEndpoints.Cfg cfg = cfg();
    cfg.apiKeyEnv = null;
    ChatRequest unseeded = new ChatRequest("test-model", List.of(ChatMessage.user("hi")), 0, 1, 8, 1, null);

    client(cfg).chat(unseeded).get(10, TimeUnit.SECONDS);

    RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(sent.getHeaders().get("Authorization"), nullValue());
    assertThat(sentJson(sent).has("seed"), is(false));
  }

  @Test
  void chatWithSeveralChoicesReturnsThemInIndexOrder() throws Exception {
    server.enqueue(
        ok(
            """
            {"model":"test-model","choices":[
              {"index":2,"message":{"role":"assistant","content":"third"},"finish_reason":"length"},
              {"index":0,"message":{"role":"assistant","content":"first"},"finish_reason":"stop"},
              {"index":1,"message":{"role":"assistant","content":null},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":5,"completion_tokens":9}}
            """));
    ChatRequest three =
        new ChatRequest("test-model", List.of(ChatMessage.user("Say something")), 1.0, 1.0, 16, 3, 7L);

    ChatResponse response = client(cfg()).chat(three).get(10, TimeUnit.SECONDS);

    assertThat(
        response.choices(),
        contains(
            new ChatChoice(0, "first", "stop"),
            new ChatChoice(1, "", "stop"),
            new ChatChoice(2, "third", "length")));
    assertThat(sentJson(server.takeRequest(1, TimeUnit.SECONDS)).get("n").asInt(), equalTo(3));
  }

  @Test
  void rateLimitWaitsForRetryAfter() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "1").body("slow down").build());
    server.enqueue(ok(chatBody("ok", 1, 1)));
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxBackoffMs = 5_000;

    long start = System.nanoTime();
    ChatResponse response = client(cfg).chat(chatRequest()).get(10, TimeUnit.SECONDS);
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(response.choices().get(0).content(), equalTo("ok"));
    assertThat(waitedMs, allOf(greaterThanOrEqualTo(1_000L), lessThan(4_000L)));
    assertThat(server.getRequestCount(), equalTo(2));
  }

  @Test
  void retryAfterIsCappedByMaxBackoff() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "120").build());
    server.enqueue(ok(chatBody("ok", 1, 1)));
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxBackoffMs = 150;

    long start = System.nanoTime();
    client(cfg).chat(chatRequest()).get(10, TimeUnit.SECONDS);
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(waitedMs, allOf(greaterThanOrEqualTo(150L), lessThan(3_000L)));
  }

  @Test
  void rateLimitedForeverFailsTypedWithTheServersRetryAfter() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "0").build());
    }
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxRetries = 2;

    Throwable error = failure(client(cfg).chat(chatRequest()));

    assertThat(error, instanceOf(RateLimitedException.class));
    RateLimitedException limited = (RateLimitedException) error;
    assertThat(limited.attempts(), equalTo(3));
    assertThat(limited.retryable(), is(true));
    assertThat(limited.retryAfter().orElseThrow().toMillis(), equalTo(0L));
  }

  @Test
  void serverErrorIsRetried() throws Exception {
    server.enqueue(status(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}"));
    server.enqueue(ok(chatBody("ok", 3, 2)));
    LlmBackend client = client(cfg());

    ChatResponse response = client.chat(chatRequest()).get(10, TimeUnit.SECONDS);

    assertThat(response.choices().get(0).content(), equalTo("ok"));
    assertThat(client.stats(), equalTo(new EndpointStats(2, 1, 1, 0, 3, 2, 0.0)));
  }

  @Test
  void serverErrorForeverFailsAfterMaxRetries() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return status(503, "{\"error\":{\"message\":\"engine is overloaded\"}}");
          }
        });
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxRetries = 3;
    LlmBackend client = client(cfg);

    Throwable error = failure(client.chat(chatRequest()));

    assertThat(error, instanceOf(ServerErrorException.class));
    ServerErrorException serverError = (ServerErrorException) error;
    assertThat(serverError.attempts(), equalTo(4));
    assertThat(serverError.status(), equalTo(503));
    assertThat(serverError.getMessage(), containsString("engine is overloaded"));
    assertThat(server.getRequestCount(), equalTo(4));
    assertThat(client.stats(), equalTo(new EndpointStats(4, 0, 3, 1, 0, 0, 0.0)));
  }

  @Test
  void slowServerTimesOut() throws Exception {
    for (int i = 0; i < 2; i++) {
      server.enqueue(
          new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body(chatBody("late", 1, 1)).build());
    }
    TestEndpoints.Cfg cfg = cfg();
    cfg.readTimeoutMs = 150;
    cfg.maxRetries = 1;

    long start = System.nanoTime();
    Throwable error = failure(client(cfg).chat(chatRequest()));

    assertThat(error, instanceOf(RequestTimeoutException.class));
    assertThat(((LlmException) error).attempts(), equalTo(2));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), lessThan(2_500L));
  }

  @Test
  void droppedConnectionIsATransportErrorAndRetried() throws Exception {
    server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(ok(chatBody("ok", 1, 1)));
    LlmBackend client = client(cfg());

    assertThat(client.chat(chatRequest()).get(10, TimeUnit.SECONDS).choices().get(0).content(), equalTo("ok"));
    assertThat(client.stats().retries(), equalTo(1L));
  }

  @Test
  void droppedConnectionForeverFailsAsTransport() throws Exception {
    for (int i = 0; i < 2; i++) {
      server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    }
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxRetries = 1;

    Throwable error = failure(client(cfg).chat(chatRequest()));

    assertThat(error, instanceOf(TransportException.class));
    assertThat(((LlmException) error).attempts(), equalTo(2));
  }

  @Test
  void invalidJsonIsMalformedAfterRetries() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(ok("<html>502 Bad Gateway</html>"));
    }
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxRetries = 2;

    Throwable error = failure(client(cfg).chat(chatRequest()));

    assertThat(error, instanceOf(MalformedResponseException.class));
    assertThat(((LlmException) error).attempts(), equalTo(3));
    assertThat(((LlmException) error).retryable(), is(true));
  }

  @Test
  void syntacticallyTruncatedJsonIsMalformedThenRecovers() throws Exception {
    server.enqueue(ok("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"half an ans"));
    server.enqueue(ok(chatBody("whole answer", 1, 2)));

    ChatResponse response = client(cfg()).chat(chatRequest()).get(10, TimeUnit.SECONDS);

    assertThat(response.choices().get(0).content(), equalTo("whole answer"));
  }

  @Test
  void bodyCutOffMidStreamIsMalformed() throws Exception {
    String big = chatBody("x".repeat(20_000), 1, 1);
    for (int i = 0; i < 2; i++) {
      server.enqueue(
          new MockResponse.Builder().body(big).onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
    }
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxRetries = 1;

    Throwable error = failure(client(cfg).chat(chatRequest()));

    assertThat(error, instanceOf(MalformedResponseException.class));
    assertThat(error.getMessage(), containsString("cut off"));
    assertThat(((LlmException) error).attempts(), equalTo(2));
  }

  @Test
  void okWithoutChoicesIsMalformedAndQuotesTheServer() throws Exception {
    server.enqueue(ok("{\"error\":{\"message\":\"model is loading\",\"type\":\"server_error\"}}"));
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxRetries = 0;

    Throwable error = failure(client(cfg).chat(chatRequest()));

    assertThat(error, instanceOf(MalformedResponseException.class));
    assertThat(error.getMessage(), allOf(containsString("no choices"), containsString("model is loading")));
  }

  @Test
  void clientErrorIsNotRetried() throws Exception {
    server.enqueue(
        status(
            400,
            "{\"error\":{\"message\":\"This model's maximum context length is 4096 tokens.\","
                + "\"type\":\"invalid_request_error\",\"code\":null}}"));
    server.enqueue(ok(chatBody("never sent", 1, 1)));
    LlmBackend client = client(cfg());

    Throwable error = failure(client.chat(chatRequest()));

    assertThat(error, instanceOf(ClientErrorException.class));
    ClientErrorException rejected = (ClientErrorException) error;
    assertThat(rejected.status(), equalTo(400));
    assertThat(rejected.attempts(), equalTo(1));
    assertThat(rejected.retryable(), is(false));
    assertThat(rejected.serverMessage(), equalTo("This model's maximum context length is 4096 tokens."));
    assertThat(server.getRequestCount(), equalTo(1));
    assertThat(client.stats().failed(), equalTo(1L));
  }

  @Test
  void aServerEchoingTheKeyHasItRedacted() throws Exception {
    server.enqueue(status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + SECRET + "\"}}"));

    Throwable error = failure(client(cfg()).chat(chatRequest()));

    assertThat(error, instanceOf(ClientErrorException.class));
    assertThat(((ClientErrorException) error).serverMessage(), containsString("[redacted]"));
    assertThat(((ClientErrorException) error).serverMessage(), not(containsString(SECRET)));
  }

  @Test
  void tokenBudgetStopsNewCallsWithoutSending() throws Exception {
    server.enqueue(ok(chatBody("ok", 8, 5)));
    server.enqueue(ok(chatBody("must not be sent", 1, 1)));
    TestEndpoints.Cfg cfg = cfg();
    cfg.budgetTokens = 10;
    LlmBackend client = client(cfg);

    assertThat(client.budgetExhausted(), is(false));
    client.chat(chatRequest()).get(10, TimeUnit.SECONDS);
    assertThat(client.budgetExhausted(), is(true));
    Throwable error = failure(client.chat(chatRequest()));

    assertThat(error, instanceOf(BudgetExceededException.class));
    assertThat(((LlmException) error).attempts(), equalTo(0));
    assertThat(((LlmException) error).retryable(), is(false));
    assertThat(server.getRequestCount(), equalTo(1));
    // Listing models spends nothing, so it still works.
    server.enqueue(ok("{\"object\":\"list\",\"data\":[{\"id\":\"m\"}]}"));
    assertThat(client.models(), contains("m"));
  }

  @Test
  void costBudgetUsesConfiguredPrices() throws Exception {
    server.enqueue(ok(chatBody("ok", 1_000, 500)));
    TestEndpoints.Cfg cfg = cfg();
    cfg.inputCostPerMillion = 2.0;
    cfg.outputCostPerMillion = 8.0;
    cfg.budgetCost = 0.006;
    LlmBackend client = client(cfg);

    client.chat(chatRequest()).get(10, TimeUnit.SECONDS);

    // 1000 * 2 / 1e6 + 500 * 8 / 1e6 = 0.006
    assertThat(client.stats().estimatedCost(), equalTo(0.006));
    assertThat(client.budgetExhausted(), is(true));
    assertThat(failure(client.chat(chatRequest())), instanceOf(BudgetExceededException.class));
    assertThat(server.getRequestCount(), equalTo(1));
  }

  @Test
  void inFlightRequestsAreBounded() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.sleep(100);
            now.decrementAndGet();
            return ok(chatBody("ok", 1, 1));
          }
        });
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxInFlight = 2;
    LlmBackend client = client(cfg);

    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(client.chat(chatRequest()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(peak.get(), equalTo(2));
    assertThat(client.stats().succeeded(), equalTo(6L));
  }

  @Test
  void moreThanFiveCallsRunAtOnceWhenAllowed() throws Exception {
    // OkHttp's default dispatcher allows 5 per host: all 8 can only meet at the latch if the client was resized.
    int parallel = 8;
    CountDownLatch together = new CountDownLatch(parallel);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            together.countDown();
            boolean met = together.await(3, TimeUnit.SECONDS);
            return met ? ok(chatBody("ok", 1, 1)) : status(400, "only " + (parallel - together.getCount()) + " met");
          }
        });
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxInFlight = parallel;
    LlmBackend client = client(cfg);

    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < parallel; i++) {
      calls.add(client.chat(chatRequest()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(client.stats().succeeded(), equalTo((long) parallel));
  }

  @Test
  void requestsPerMinuteArePaced() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return ok(chatBody("ok", 1, 1));
          }
        });
    TestEndpoints.Cfg cfg = cfg();
    cfg.requestsPerMinute = 600; // 10 per second, with a burst of one second's worth
    LlmBackend client = client(cfg);

    long start = System.nanoTime();
    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(client.chat(chatRequest()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    // 10 go at once, the 11th after 100 ms, the 12th after 200 ms.
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(elapsedMs, allOf(greaterThanOrEqualTo(190L), lessThan(2_000L)));
  }

  @Test
  void tokensPerMinuteChargeWhatTheServerReported() throws Exception {
    server.enqueue(ok(chatBody("long", 600, 600)));
    server.enqueue(ok(chatBody("ok", 1, 1)));
    TestEndpoints.Cfg cfg = cfg();
    cfg.tokensPerMinute = 60_000; // 1000 per second, burst 1000; the estimate of one call is about 75
    LlmBackend client = client(cfg);
    client.chat(chatRequest()).get(10, TimeUnit.SECONDS);

    // The first call used 1200, leaving the bucket about 200 in debt: the next waits for that plus its estimate.
    long start = System.nanoTime();
    client.chat(chatRequest()).get(10, TimeUnit.SECONDS);

    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(elapsedMs, allOf(greaterThanOrEqualTo(200L), lessThan(2_000L)));
  }

  @Test
  void completionsWithEchoReturnPromptLogprobs() throws Exception {
    server.enqueue(
        ok(
            """
            {"id":"cmpl-1","object":"text_completion","model":"served-model","choices":[{"index":0,
              "text":"The cat sat","logprobs":{"tokens":["The"," cat"," sat"],"token_logprobs":[null,-2.5,-0.25],
              "text_offset":[0,3,7],"top_logprobs":[null,{" cat":-2.5},{" sat":-0.25}]},
              "finish_reason":"length","stop_reason":null,"prompt_logprobs":null}],
             "usage":{"prompt_tokens":3,"completion_tokens":0,"total_tokens":3}}
            """));
    CompletionRequest score = new CompletionRequest("test-model", "The cat sat", 0, true, 0, 0.0, null);

    CompletionResponse response = client(cfg()).complete(score).get(10, TimeUnit.SECONDS);

    assertThat(response.text(), equalTo("The cat sat"));
    assertThat(response.tokens(), contains("The", " cat", " sat"));
    assertThat(response.tokenLogprobs(), contains(nullValue(), equalTo(-2.5), equalTo(-0.25)));
    assertThat(response.textOffsets(), contains(0, 3, 7));
    assertThat(response.finishReason(), equalTo("length"));
    assertThat(response.usage(), equalTo(new TokenUsage(3, 0)));
    RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(sent.getUrl().encodedPath(), equalTo("/v1/completions"));
    JsonNode body = sentJson(sent);
    assertThat(body.get("echo").asBoolean(), is(true));
    assertThat(body.get("logprobs").asInt(), equalTo(0));
    assertThat(body.get("max_tokens").asInt(), equalTo(0));
    assertThat(body.get("prompt").asText(), equalTo("The cat sat"));
    assertThat(body.has("seed"), is(false));
  }

  @Test
  void completionWithMisalignedLogprobsIsMalformed() throws Exception {
    server.enqueue(
        ok("{\"choices\":[{\"text\":\"ab\",\"logprobs\":{\"tokens\":[\"a\",\"b\"],\"token_logprobs\":[-1.0]}}]}"));
    TestEndpoints.Cfg cfg = cfg();
    cfg.maxRetries = 0;

    Throwable error = failure(client(cfg).complete(new CompletionRequest("m", "ab", 0, true, 0, 0, null)));

    assertThat(error, instanceOf(MalformedResponseException.class));
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    server.enqueue(
        new MockResponse.Builder().code(301).setHeader("Location", "https://llm.example/v1/chat/completions").build());

    Throwable error = failure(client(cfg()).chat(chatRequest()));

    assertThat(error, instanceOf(ClientErrorException.class));
    assertThat(((ClientErrorException) error).status(), equalTo(301));
    assertThat(error.getMessage(), containsString("https://llm.example/v1/chat/completions"));
    assertThat(server.getRequestCount(), equalTo(1));
  }

  @Test
  void modelsAreListed() throws Exception {
    server.enqueue(
        ok(
            """
            {"object":"list","data":[
              {"id":"Qwen/Qwen2.5-7B-Instruct","object":"model","created":1,"owned_by":"vllm","max_model_len":32768},
              {"id":"judge-lora","object":"model","parent":"Qwen/Qwen2.5-7B-Instruct"}]}
            """));

    List<String> ids = client(cfg()).models();

    assertThat(ids, contains("Qwen/Qwen2.5-7B-Instruct", "judge-lora"));
    RecordedRequest sent = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(sent.getMethod(), equalTo("GET"));
    assertThat(sent.getUrl().encodedPath(), equalTo("/v1/models"));
    assertThat(sent.getHeaders().get("Authorization"), equalTo("Bearer " + SECRET));
  }

  @Test
  void modelsFailureIsThrownTyped() {
    server.enqueue(status(404, "Not Found"));

    ClientErrorException error = assertThrows(ClientErrorException.class, () -> client(cfg()).models());

    assertThat(error.status(), equalTo(404));
    assertThat(error.serverMessage(), equalTo("Not Found"));
  }

  @Test
  void missingKeyVariableFailsConstructionNamingTheVariable() {
    TestEndpoints.Cfg cfg = cfg();
    cfg.apiKeyEnv = "ASSAY_UNSET_KEY";

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> new OpenAiClient(cfg.build(), ENV));

    assertThat(error.getMessage(), containsString("ASSAY_UNSET_KEY"));
  }

  @Test
  void toStringNamesTheVariableNotTheKey() {
    LlmBackend client = client(cfg());

    assertThat(client.toString(), allOf(containsString(KEY_VAR), not(containsString(SECRET))));
    assertThat(client.stats().toString(), not(containsString(SECRET)));
  }

  @Test
  void closeFailsPendingCallsAndRefusesNewOnes() throws Exception {
    server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body(chatBody("late", 1, 1)).build());
    LlmBackend client = client(cfg());
    CompletableFuture<ChatResponse> pending = client.chat(chatRequest());
    server.takeRequest(2, TimeUnit.SECONDS);

    client.close();

    assertThat(failure(pending), instanceOf(TransportException.class));
    assertThrows(IllegalStateException.class, () -> client.chat(chatRequest()));
    assertThat(client.toString(), containsString("closed"));
  }

  @Test
  void responsesAreClosedSoOneConnectionServesSequentialCalls() throws Exception {
    // A leaked Response keeps its connection busy, so the next call would open a new one.
    for (int i = 0; i < 3; i++) {
      server.enqueue(i == 1 ? status(500, "boom") : ok(chatBody("ok", 1, 1)));
    }
    LlmBackend client = client(cfg());
    client.chat(chatRequest()).get(10, TimeUnit.SECONDS);
    client.chat(chatRequest()).get(10, TimeUnit.SECONDS);

    List<Integer> connections = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      connections.add(server.takeRequest(1, TimeUnit.SECONDS).getConnectionIndex());
    }
    assertThat(connections, contains(0, 0, 0));
    assertThat(client.stats().requests(), equalTo(3L));
  }
}
