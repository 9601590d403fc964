package dev.assay.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client for one OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama, TGI, OpenAI) on OkHttp.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #chat} and {@link #complete} return at once with a future, after waiting in the caller's thread for a
 *       free in-flight slot ({@code max_in_flight}, fair) and for the request and token rate limits. That wait is the
 *       backpressure a DoFn feels; OkHttp's threads never block on a limit. A slot is held from the first attempt to
 *       the final outcome, retries and their backoff included, so a 429 storm slows callers down instead of piling
 *       up queued calls.
 *   <li>429, 408, 5xx, timeouts, transport errors and unusable 2xx bodies are retried up to {@code max_retries}
 *       times with exponential backoff and full jitter, or after the server's {@code Retry-After}, both capped by
 *       {@code max_backoff_ms}. Other 4xx, and redirects (not followed), fail at once. The future then fails with
 *       the typed {@link LlmException} of the last attempt, carrying the number of requests sent. With
 *       {@code stop_on_repeated_error}, a 5xx (not 502-504) whose status and body equal the previous attempt's
 *       answer fails at once, its message saying so.
 *   <li>A response whose {@code model} is not the requested one ({@link ServedModel#matches}: equal, a dated
 *       snapshot of it, or the endpoint's {@code served_model}) fails with {@link WrongModelException}, not retried;
 *       its tokens are still counted.
 *   <li>Once the reported spend reaches {@code budget_tokens} or {@code budget_cost}, new calls fail with
 *       {@link BudgetExceededException} without sending anything; calls already in flight complete normally.
 *   <li>The API key is read once, at construction, from the environment variable {@code api_key_env} names. It is
 *       sent only as {@code Authorization: Bearer}, and never appears in {@link #toString()}, exception messages or
 *       logs (a server that echoes it back has it replaced).
 * </ul>
 *
 * <p>Futures complete on the client's threads: dependent stages should be short or use the {@code *Async}
 * variants. One client per endpoint per JVM is intended; get it from {@link Endpoints#shared}. {@link #close()}
 * fails every pending call with a {@link TransportException} and stops the client's threads.
 */
public final class OpenAiClient implements LlmBackend {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiClient.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int ERROR_BODY_BYTES = 4096;

  private final EndpointConfig config;
  private final String displayUrl;
  private final HttpUrl chatUrl;
  private final HttpUrl completionsUrl;
  private final HttpUrl modelsUrl;
  // The secret. Only ever put into the Authorization header and used to scrub text; never printed.
  private final String apiKey;
  private final OkHttpClient http;
  private final ScheduledThreadPoolExecutor retryScheduler;
  private final Semaphore inFlight;
  /** Attempts on the wire, adapted to the server's capacity below max_in_flight (AIMD). */
  private final AdaptiveWindow window;
  private final TokenBucket requestRate;
  private final TokenBucket tokenRate;
  private final Set<Exchange<?>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private final LongAdder requests = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder retries = new LongAdder();
  /** Retries already handed to {@link #takeRetries()}. */
  private final java.util.concurrent.atomic.AtomicLong retriesTaken = new java.util.concurrent.atomic.AtomicLong();
  private final LongAdder failed = new LongAdder();
  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder completionTokens = new LongAdder();

  /** A client that reads its API key from the process environment. */
  public OpenAiClient(EndpointConfig config) {
    this(config, System::getenv);
  }

  /**
   * A client that reads its API key through {@code env} (tests inject a map lookup).
   *
   * @throws IllegalArgumentException if {@code api_key_env} is set but that variable is missing, blank or not a
   *     valid header value (the message names the variable, never a value), or if the base URL does not parse
   */
  public OpenAiClient(EndpointConfig config, Function<String, String> env) {
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(env, "env");
    String base = config.baseUrl().replaceAll("/+$", "");
    HttpUrl parsed = HttpUrl.parse(base);
    if (parsed == null) {
      throw new IllegalArgumentException("base_url is not a valid URL: " + config.baseUrl());
    }
    // Shown in messages: no user-info or query, which are the places a URL can carry credentials.
    this.displayUrl = parsed.scheme() + "://" + parsed.host() + ":" + parsed.port() + parsed.encodedPath();
    this.chatUrl = HttpUrl.get(base + "/chat/completions");
    this.completionsUrl = HttpUrl.get(base + "/completions");
    this.modelsUrl = HttpUrl.get(base + "/models");
    this.apiKey = readApiKey(config, env, displayUrl);

    int maxInFlight = config.maxInFlight();
    this.inFlight = new Semaphore(maxInFlight, true);
    this.window = new AdaptiveWindow(maxInFlight);
    this.requestRate =
        config.requestsPerMinute() > 0 ? new TokenBucket(config.requestsPerMinute(), System::nanoTime) : null;
    this.tokenRate = config.tokensPerMinute() > 0 ? new TokenBucket(config.tokensPerMinute(), System::nanoTime) : null;

    String threadName = "assay-llm-" + parsed.host() + ":" + parsed.port();
    // Daemon threads: a pipeline that forgets to close a client must still let the JVM exit.
    ThreadPoolExecutor callbacks =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon(threadName));
    Dispatcher dispatcher = new Dispatcher(callbacks);
    // OkHttp's defaults (64 total, 5 per host) would quietly serialise above 5 concurrent calls to one server.
    dispatcher.setMaxRequests(maxInFlight);
    dispatcher.setMaxRequestsPerHost(maxInFlight);
    long connectMs = config.connectTimeoutMs();
    long readMs = config.readTimeoutMs();
    // OkHttp's read timeout also covers the wait for the answer's first byte; the longer of the two is its bound,
    // and the first-byte limit, when shorter, is kept by the Exchange's own timer.
    long socketReadMs = Math.max(readMs, config.firstByteTimeoutMs());
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(maxInFlight, 5, TimeUnit.MINUTES))
            .connectTimeout(connectMs, TimeUnit.MILLISECONDS)
            // Non-streaming: the server sends nothing until generation ends, so the read timeout bounds generation.
            .readTimeout(socketReadMs, TimeUnit.MILLISECONDS)
            .writeTimeout(readMs, TimeUnit.MILLISECONDS)
            // By default one read timeout for the headers and one for the body: stops a server trickling bytes forever.
            .callTimeout(config.totalTimeoutMs(), TimeUnit.MILLISECONDS)
            // Our retry loop is the only one: every request on the wire is counted, paced and backed off.
            .retryOnConnectionFailure(false)
            // A redirected POST may be re-sent as a GET; better to fail once and name the new location.
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
    this.retryScheduler = new ScheduledThreadPoolExecutor(1, daemon(threadName + "-retry"));
    this.retryScheduler.setRemoveOnCancelPolicy(true);
    this.retryScheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** The endpoint this client talks to, with its limits. */
  public EndpointConfig config() {
    return config;
  }

  /**
   * Sends a chat completion ({@code POST /chat/completions}). {@code seed} is left out when null.
   *
   * @throws IllegalStateException if the client is closed
   */
  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    long promptChars = 0;
    for (ChatMessage m : request.messages()) {
      promptChars += m.content().length();
    }
    // max_tokens bounds each choice, so n choices may cost n times as much.
    double estimate = promptChars / 4.0 + (double) request.maxTokens() * request.n();
    return submit(
        "POST " + displayUrl + "/chat/completions",
        post(chatUrl, OpenAiJson.chatBody(request)),
        estimate,
        true,
        root -> OpenAiJson.chat(root, request.model()),
        ChatResponse::usage,
        request.model(),
        ChatResponse::model);
  }

  /**
   * Sends a legacy completion ({@code POST /completions}), the way to get prompt log-probs with {@code echo}.
   *
   * @throws IllegalStateException if the client is closed
   */
  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request) {
    Objects.requireNonNull(request, "request");
    double estimate = request.prompt().length() / 4.0 + request.maxTokens();
    return submit(
        "POST " + displayUrl + "/completions",
        post(completionsUrl, OpenAiJson.completionBody(request)),
        estimate,
        true,
        root -> OpenAiJson.completion(root, request.model()),
        CompletionResponse::usage,
        request.model(),
        CompletionResponse::model);
  }

  /**
   * Lists the served model ids ({@code GET /models}), blocking, with the same limits and retries as other calls.
   * It spends no budget, so it works after the budget is exhausted.
   *
   * @throws LlmException the typed failure after retries
   * @throws IllegalStateException if the client is closed
   */
  @Override
  public List<String> models() {
    return listedModels().stream().map(ListedModel::id).toList();
  }

  /** As {@link #models()}, with each model's {@code owned_by}. */
  @Override
  public List<ListedModel> listedModels() {
    Request request = authorized(new Request.Builder().url(modelsUrl).get()).build();
    try {
      return submit(
              "GET " + displayUrl + "/models", request, 0, false, OpenAiJson::listedModels, ids -> TokenUsage.NONE, null,
              null)
          .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof LlmException typed) {
        throw typed;
      }
      throw e;
    }
  }

  /** Counters since construction; a call refused for budget counts as a failed call with no request. */
  @Override
  public EndpointStats stats() {
    long prompt = promptTokens.sum();
    long completion = completionTokens.sum();
    return new EndpointStats(
        requests.sum(), succeeded.sum(), retries.sum(), failed.sum(), prompt, completion, cost(prompt, completion));
  }

  @Override
  public long takeRetries() {
    long now = retries.sum();
    while (true) {
      long taken = retriesTaken.get();
      if (now <= taken) {
        return 0;
      }
      if (retriesTaken.compareAndSet(taken, now)) {
        return now - taken;
      }
    }
  }

  /** Whether the token or cost cap has been reached, so that new calls would be refused. */
  @Override
  public boolean budgetExhausted() {
    return budgetReached() != null;
  }

  /** Fails every pending call with a {@link TransportException}, cancels their requests and stops the threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    retryScheduler.shutdownNow();
    for (Exchange<?> exchange : pending) {
      exchange.abandon();
    }
    http.dispatcher().cancelAll();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** Names the endpoint, the model and the key's variable; never the key. */
  @Override
  public String toString() {
    return "OpenAiClient{"
        + displayUrl
        + ", model="
        + config.model()
        + (config.apiKeyEnv() == null ? ", no API key" : ", API key from $" + config.apiKeyEnv())
        + (closed ? ", closed" : "")
        + "}";
  }

  private <T> CompletableFuture<T> submit(
      String label,
      Request request,
      double tokenEstimate,
      boolean spendsBudget,
      Function<JsonNode, T> parser,
      Function<T, TokenUsage> usageOf,
      String requestedModel,
      Function<T, String> servedModelOf) {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    if (spendsBudget) {
      String reached = budgetReached();
      if (reached != null) {
        failed.increment();
        return CompletableFuture.failedFuture(new BudgetExceededException(label + ": " + reached));
      }
    }
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed.increment();
      return CompletableFuture.failedFuture(
          new TransportException(label + ": interrupted while waiting for an in-flight slot", 0, e));
    }
    Exchange<T> exchange = new Exchange<>(label, request, tokenEstimate, parser, usageOf, requestedModel, servedModelOf);
    pending.add(exchange);
    try {
      long waitNanos = reserveRates(tokenEstimate);
      if (waitNanos > 0) {
        TimeUnit.NANOSECONDS.sleep(waitNanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.fail(new TransportException(label + ": interrupted while waiting for the rate limit", 0, e));
      return exchange.future;
    }
    // The budget may have run out while this call waited for a slot.
    String reached = spendsBudget ? budgetReached() : null;
    if (reached != null) {
      exchange.fail(new BudgetExceededException(label + ": " + reached));
    } else {
      exchange.send();
    }
    return exchange.future;
  }

  /** One logical call: its attempts, its outcome, its in-flight slot. Also the OkHttp callback of each attempt. */
  private final class Exchange<T> implements Callback {
    final String label;
    final Request request;
    final double tokenEstimate;
    final Function<JsonNode, T> parser;
    final Function<T, TokenUsage> usageOf;
    /** The model the request named, and how to read the one the response names; null for calls without a model. */
    final String requestedModel;
    final Function<T, String> servedModelOf;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile Call call;
    /** The previous attempt's 5xx answer (status and body), for stop_on_repeated_error; null after other outcomes. */
    private volatile String lastErrorAnswer;
    /** The window's permit of the attempt on the wire, null between attempts. */
    private volatile AdaptiveWindow.Permit permit;
    /** Whether the current attempt's answer headers arrived (its first byte). */
    private volatile boolean answered;
    /** Whether the first-byte timer cancelled the current attempt. */
    private volatile boolean firstByteExpired;
    private volatile java.util.concurrent.ScheduledFuture<?> firstByteTimer;

    Exchange(
        String label,
        Request request,
        double tokenEstimate,
        Function<JsonNode, T> parser,
        Function<T, TokenUsage> usageOf,
        String requestedModel,
        Function<T, String> servedModelOf) {
      this.label = label;
      this.request = request;
      this.tokenEstimate = tokenEstimate;
      this.parser = parser;
      this.usageOf = usageOf;
      this.requestedModel = requestedModel;
      this.servedModelOf = servedModelOf;
    }

    /**
     * Sends the next attempt once the adaptive window has room; runs on the caller's thread first, on the retry
     * scheduler after that, or on the thread that freed the room.
     */
    void send() {
      window.submit(this::sendWith);
    }

    private void sendWith(AdaptiveWindow.Permit granted) {
      if (finished.get()) {
        granted.done(AdaptiveWindow.Signal.NEUTRAL);
        return;
      }
      if (closed) {
        granted.done(AdaptiveWindow.Signal.NEUTRAL);
        fail(new TransportException(label + ": client closed before the call was sent", attempts.get(), null));
        return;
      }
      permit = granted;
      if (attempts.incrementAndGet() > 1) {
        retries.increment();
      }
      requests.increment();
      Call next = http.newCall(request);
      call = next;
      answered = false;
      firstByteExpired = false;
      next.enqueue(this);
      long firstByteMs = config.firstByteTimeoutMs();
      if (firstByteMs < config.readTimeoutMs()) {
        // Shorter than the socket's read timeout: kept here. Connecting counts too (the server's queue may hold
        // the connection), as it would for a client that waits for the first byte after sending.
        try {
          firstByteTimer = retryScheduler.schedule(() -> {
            if (call == next && !answered) {
              firstByteExpired = true;
              next.cancel();
            }
          }, firstByteMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
          // Closing: the call is abandoned anyway.
        }
      }
    }

    /**
     * Which timeout ended an attempt that got no answer: OkHttp says connect and read timeouts with a
     * SocketTimeoutException, the whole call's with a plain InterruptedIOException; the first-byte timer cancels.
     */
    private String timeoutReason(IOException e) {
      if (firstByteExpired) {
        return "no first byte within " + config.firstByteTimeoutMs() + " ms (first_byte_timeout_ms)";
      }
      String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (e instanceof java.net.SocketTimeoutException && m.contains("connect")) {
        return "no connection within " + config.connectTimeoutMs() + " ms (connect_timeout_ms)";
      }
      if (e instanceof java.net.SocketTimeoutException) {
        return "no first byte within " + Math.max(config.readTimeoutMs(), config.firstByteTimeoutMs())
            + " ms (read_timeout_ms)";
      }
      return "the whole attempt took over " + config.totalTimeoutMs() + " ms (total_timeout_ms)";
    }

    @Override
    public void onFailure(Call failedCall, IOException e) {
      lastErrorAnswer = null; // "in a row": a timeout or reset between two 500s breaks the repetition
      int n = attempts.get();
      cancelFirstByteTimer();
      // OkHttp signals connect, read, write and call timeouts as InterruptedIOException (SocketTimeoutException);
      // the first-byte timer's cancel arrives as a plain IOException.
      LlmException error =
          e instanceof InterruptedIOException || firstByteExpired
              ? new RequestTimeoutException(scrub(label + " timed out: " + timeoutReason(e)), n, e)
              : new TransportException(scrub(label + " failed: " + e), n, e);
      attemptDone(error instanceof RequestTimeoutException ? AdaptiveWindow.Signal.CONGESTION : AdaptiveWindow.Signal.NEUTRAL);
      retryOrFail(error, -1);
    }

    @Override
    public void onResponse(Call answeredCall, Response response) {
      answered = true;
      cancelFirstByteTimer();
      try (response) {
        handle(response);
      } catch (RuntimeException bug) {
        // A defect here must still release the slot and complete the future, or the caller hangs.
        attemptDone(AdaptiveWindow.Signal.NEUTRAL);
        fail(bug);
      }
    }

    private void cancelFirstByteTimer() {
      java.util.concurrent.ScheduledFuture<?> t = firstByteTimer;
      if (t != null) {
        t.cancel(false);
      }
    }

    /** Gives the attempt's window permit back with what its outcome says about the server's load. */
    private void attemptDone(AdaptiveWindow.Signal signal) {
      AdaptiveWindow.Permit p = permit;
      permit = null;
      if (p != null) {
        p.done(signal);
      }
    }

    private void handle(Response response) {
      int n = attempts.get();
      int code = response.code();
      if (code >= 200 && code < 300) {
        lastErrorAnswer = null;
        String body;
        try {
          body = response.body().string();
        } catch (InterruptedIOException e) {
          String what = label + " timed out reading the body: " + e.getMessage();
          attemptDone(AdaptiveWindow.Signal.CONGESTION);
          retryOrFail(new RequestTimeoutException(scrub(what), n, e), -1);
          return;
        } catch (IOException e) {
          attemptDone(AdaptiveWindow.Signal.NEUTRAL);
          retryOrFail(new MalformedResponseException(scrub(label + ": body cut off (" + e + ")"), n, e), -1);
          return;
        }
        attemptDone(AdaptiveWindow.Signal.SUCCESS);
        T value;
        try {
          value = parser.apply(OpenAiJson.parse(body));
        } catch (OpenAiJson.BadBody e) {
          // No cause: the parser's message may quote the body, which we only show scrubbed.
          retryOrFail(new MalformedResponseException(scrub(label + ": " + e.getMessage()), n, null), -1);
          return;
        }
        String served = servedModelOf == null ? null : servedModelOf.apply(value);
        if (served != null && !ServedModel.matches(requestedModel, served, config.servedModel())) {
          // The server did the work, so its tokens count against budgets and rates; the answer is not used.
          charge(value);
          fail(new WrongModelException(requestedModel, served, scrub(label + " was answered by model '" + served
              + "', not the requested '" + requestedModel + "'; point the endpoint at a server of that model, or, if"
              + " it is the same model under another name, set served_model: " + served), n));
          return;
        }
        succeed(value);
        return;
      }
      // 429, 503 and 408 say the server is over its capacity; other answers say nothing about load.
      attemptDone(code == 429 || code == 503 || code == 408 ? AdaptiveWindow.Signal.CONGESTION : AdaptiveWindow.Signal.NEUTRAL);
      String raw = errorBody(response);
      String said = scrub(OpenAiJson.errorExcerpt(raw));
      String suffix = said.isEmpty() ? "" : ": " + said;
      long retryAfterMs = Backoff.retryAfterMillis(response.header("Retry-After"), Instant.now());
      if (code < 500) {
        lastErrorAnswer = null;
      }
      LlmException error;
      if (code == 429) {
        error =
            new RateLimitedException(
                scrub(label + " was rate limited (429)" + suffix),
                retryAfterMs >= 0 ? Duration.ofMillis(retryAfterMs) : null,
                n);
      } else if (code == 408) {
        error = new RequestTimeoutException(scrub(label + ": the server timed out (408)" + suffix), n, null);
      } else if (code >= 500) {
        String message = label + " failed on the server (" + code + ")" + suffix;
        if (repeatedError(code, raw)) {
          // The server is deterministic about this request: another attempt would get this answer a third time.
          fail(new ServerErrorException(code, scrub(message + "; the same answer twice in a row (status and body), so"
              + " not retried (stop_on_repeated_error)"), n));
          return;
        }
        error = new ServerErrorException(code, scrub(message), n);
      } else if (code >= 300 && code < 400) {
        String location = response.header("Location");
        String hint = location == null ? "" : "; point base_url at " + location;
        error = new ClientErrorException(code, said, scrub(label + " was redirected (" + code + ")" + hint), n);
      } else {
        // The same request would get the same answer: retrying only spends time and rate limit.
        error = new ClientErrorException(code, said, scrub(label + " was rejected (" + code + ")" + suffix), n);
      }
      retryOrFail(error, retryAfterMs);
    }

    /**
     * Whether this 5xx answer equals the previous attempt's, and the endpoint asked to stop on that. Remembers the
     * answer for the next attempt. 502, 503 and 504 are left out: they mean "try later", and a server still loading
     * its model says so identically every time.
     */
    private boolean repeatedError(int code, String body) {
      if (!config.stopOnRepeatedError() || code == 502 || code == 503 || code == 504) {
        return false;
      }
      String answer = code + "\n" + body;
      String previous = lastErrorAnswer;
      lastErrorAnswer = answer;
      return answer.equals(previous);
    }

    private void retryOrFail(LlmException error, long retryAfterMs) {
      int n = attempts.get();
      if (!error.retryable() || n > config.maxRetries() || closed) {
        fail(error);
        return;
      }
      long delayMs =
          retryAfterMs >= 0
              ? Math.min(retryAfterMs, config.maxBackoffMs())
              : Backoff.jitteredMillis(
                  n, config.initialBackoffMs(), config.maxBackoffMs(), ThreadLocalRandom.current().nextDouble());
      long delayNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(delayMs), reserveRates(tokenEstimate));
      LOG.debug("{}; retry {} of {} in {} ms", error.getMessage(), n, config.maxRetries(), delayNanos / 1_000_000);
      try {
        retryScheduler.schedule(this::send, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException shutDown) {
        fail(new TransportException(label + ": client closed before retry " + n, n, error));
      }
    }

    private void succeed(T value) {
      charge(value);
      if (finished.compareAndSet(false, true)) {
        succeeded.increment();
        release();
        future.complete(value);
      }
    }

    /** Counts the tokens the server reports for an answer it produced. */
    private void charge(T value) {
      TokenUsage usage = usageOf.apply(value);
      promptTokens.add(usage.promptTokens());
      completionTokens.add(usage.completionTokens());
      if (tokenRate != null && usage.total() > 0) {
        // The reservation was an estimate; charge the limiter what the server says was used.
        tokenRate.adjust(usage.total() - tokenEstimate);
      }
    }

    void fail(Throwable error) {
      if (finished.compareAndSet(false, true)) {
        failed.increment();
        release();
        future.completeExceptionally(error);
      }
    }

    void abandon() {
      Call current = call;
      if (current != null) {
        current.cancel();
      }
      attemptDone(AdaptiveWindow.Signal.NEUTRAL);
      fail(new TransportException(label + ": client closed while the call was pending", attempts.get(), null));
    }

    private void release() {
      pending.remove(this);
      inFlight.release();
    }
  }

  private Request post(HttpUrl url, ObjectNode body) {
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    // A byte-array body can be sent again, which every retry does.
    return authorized(new Request.Builder().url(url).post(RequestBody.create(bytes, JSON))).build();
  }

  private Request.Builder authorized(Request.Builder builder) {
    builder.header("Accept", "application/json");
    if (apiKey != null) {
      builder.header("Authorization", "Bearer " + apiKey);
    }
    return builder;
  }

  private long reserveRates(double tokens) {
    long waitNanos = 0;
    if (requestRate != null) {
      waitNanos = requestRate.reserve(1);
    }
    if (tokenRate != null) {
      waitNanos = Math.max(waitNanos, tokenRate.reserve(tokens));
    }
    return waitNanos;
  }

  /** Why new calls are refused, or null while the budget lasts. */
  private String budgetReached() {
    long prompt = promptTokens.sum();
    long completion = completionTokens.sum();
    long tokens = prompt + completion;
    if (config.budgetTokens() > 0 && tokens >= config.budgetTokens()) {
      return "token budget of " + config.budgetTokens() + " reached (" + tokens + " spent); call not sent";
    }
    double cost = cost(prompt, completion);
    if (config.budgetCost() > 0 && cost >= config.budgetCost()) {
      return String.format(
          Locale.ROOT, "cost budget of %.4f reached (%.4f spent); call not sent", config.budgetCost(), cost);
    }
    return null;
  }

  private double cost(long prompt, long completion) {
    return config.cost(prompt, completion);
  }

  private String scrub(String text) {
    return apiKey == null ? text : text.replace(apiKey, "[redacted]");
  }

  private static String errorBody(Response response) {
    try {
      // peekBody reads at most this much: an error page can be large and only its start is worth showing.
      return response.peekBody(ERROR_BODY_BYTES).string();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The API key of {@code config} from {@code env}, or null when the endpoint names no variable; shared with the
   * other clients of an endpoint (the batch API's), so a key is read and checked one way.
   *
   * @throws IllegalArgumentException naming the variable (never its value) when it is missing, blank or not a valid
   *     header value
   */
  public static String readApiKey(EndpointConfig config, Function<String, String> env, String displayUrl) {
    String variable = config.apiKeyEnv();
    if (variable == null || variable.isBlank()) {
      return null;
    }
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "environment variable "
              + variable
              + " (api_key_env of "
              + displayUrl
              + ") is not set; export the API key there");
    }
    String key = value.strip();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      // Checked here so that OkHttp's header validation never gets to describe the value.
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "environment variable " + variable + " holds a character that cannot be sent in a header");
      }
    }
    return key;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
