package dev.assay.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

/**
 * The bare client for one OpenAI-compatible endpoint (vLLM, llama.cpp server, Ollama, TGI, OpenAI) on OkHttp: one
 * call is one HTTP request, mapped to a parsed response or a typed {@link LlmException}.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #chat} and {@link #complete} never block: they enqueue the request and return a future. Retries, rate
 *       limits, the in-flight bound, the adaptive window and the budget are not here: {@link Endpoints#decorate}
 *       wraps this client (or any {@link LlmBackend}) in them, and {@link Endpoints#shared} is what pipelines use.
 *   <li>Answers map to types by cause: 429 {@link RateLimitedException}, 408 and every timeout (connect, first byte,
 *       read, whole call) {@link RequestTimeoutException}, 5xx {@link ServerErrorException} (with the start of its
 *       body, so a repeated answer can be recognised), redirects (not followed) and other 4xx
 *       {@link ClientErrorException}, a 2xx body that cannot be used {@link MalformedResponseException}, a failure
 *       below HTTP {@link TransportException}. A {@code Retry-After} header rides on the exception.
 *   <li>A response whose {@code model} is not the requested one ({@link ServedModel#matches}: equal, a dated
 *       snapshot of it, or the endpoint's {@code served_model}) fails with {@link WrongModelException}, carrying the
 *       tokens it cost.
 *   <li>The API key is read once, at construction, from the environment variable {@code api_key_env} names. It is
 *       sent only as {@code Authorization: Bearer}, and never appears in {@link #toString()}, exception messages or
 *       logs (a server that echoes it back has it replaced).
 * </ul>
 *
 * <p>{@link #stats()} counts what this client sent and was charged: every call is one request; succeeded and
 * failed are per request here (the retry layer counts per logical call). Futures complete on OkHttp's threads.
 * {@link #close()} fails every pending call with a {@link TransportException} and stops the client's threads; a
 * closed client refuses calls with {@link IllegalStateException}.
 */
public final class OpenAiClient implements LlmBackend {
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
  /** Keeps a first-byte limit shorter than the socket's read timeout; null when there is none. */
  private final ScheduledThreadPoolExecutor firstByteTimers;
  private final Set<Exchange<?>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private final LongAdder requests = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
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
    String threadName = "assay-llm-" + parsed.host() + ":" + parsed.port();
    // Daemon threads: a pipeline that forgets to close a client must still let the JVM exit.
    ThreadPoolExecutor callbacks =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), DaemonThreads.named(threadName));
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
            // The retry layer is the only one: every request on the wire is counted, paced and backed off.
            .retryOnConnectionFailure(false)
            // A redirected POST may be re-sent as a GET; better to fail once and name the new location.
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
    if (config.firstByteTimeoutMs() < readMs) {
      this.firstByteTimers = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(threadName + "-first-byte"));
      this.firstByteTimers.setRemoveOnCancelPolicy(true);
      this.firstByteTimers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    } else {
      this.firstByteTimers = null;
    }
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
    return send(
        "POST " + displayUrl + "/chat/completions",
        post(chatUrl, OpenAiJson.chatBody(request)),
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
    return send(
        "POST " + displayUrl + "/completions",
        post(completionsUrl, OpenAiJson.completionBody(request)),
        root -> OpenAiJson.completion(root, request.model()),
        CompletionResponse::usage,
        request.model(),
        CompletionResponse::model);
  }

  /**
   * Lists the served model ids ({@code GET /models}), blocking.
   *
   * @throws LlmException the typed failure
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
    return Endpoints.await(
        send("GET " + displayUrl + "/models", request, OpenAiJson::listedModels, ids -> TokenUsage.NONE, null, null));
  }

  /** Requests sent and tokens charged since construction; succeeded and failed count requests. */
  @Override
  public EndpointStats stats() {
    long prompt = promptTokens.sum();
    long completion = completionTokens.sum();
    return new EndpointStats(
        requests.sum(), succeeded.sum(), 0, failed.sum(), prompt, completion, config.cost(prompt, completion));
  }

  /** Fails every pending call with a {@link TransportException}, cancels their requests and stops the threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (firstByteTimers != null) {
      firstByteTimers.shutdownNow();
    }
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

  private <T> CompletableFuture<T> send(
      String label,
      Request request,
      Function<JsonNode, T> parser,
      Function<T, TokenUsage> usageOf,
      String requestedModel,
      Function<T, String> servedModelOf) {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    Exchange<T> exchange = new Exchange<>(label, request, parser, usageOf, requestedModel, servedModelOf);
    pending.add(exchange);
    exchange.send();
    return exchange.future;
  }

  /** One request: its call, its outcome. Also the OkHttp callback. */
  private final class Exchange<T> implements Callback {
    final String label;
    final Request request;
    final Function<JsonNode, T> parser;
    final Function<T, TokenUsage> usageOf;
    /** The model the request named, and how to read the one the response names; null for calls without a model. */
    final String requestedModel;
    final Function<T, String> servedModelOf;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Call call;
    /** Whether the answer's headers arrived (its first byte). */
    private volatile boolean answered;
    /** Whether the first-byte timer cancelled the request. */
    private volatile boolean firstByteExpired;
    private volatile ScheduledFuture<?> firstByteTimer;

    Exchange(
        String label,
        Request request,
        Function<JsonNode, T> parser,
        Function<T, TokenUsage> usageOf,
        String requestedModel,
        Function<T, String> servedModelOf) {
      this.label = label;
      this.request = request;
      this.parser = parser;
      this.usageOf = usageOf;
      this.requestedModel = requestedModel;
      this.servedModelOf = servedModelOf;
    }

    void send() {
      requests.increment();
      Call next = http.newCall(request);
      call = next;
      next.enqueue(this);
      if (firstByteTimers != null) {
        // Shorter than the socket's read timeout: kept here. Connecting counts too (the server's queue may hold
        // the connection), as it would for a client that waits for the first byte after sending.
        try {
          firstByteTimer = firstByteTimers.schedule(() -> {
            if (!answered) {
              firstByteExpired = true;
              next.cancel();
            }
          }, config.firstByteTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
          // Closing: the call is abandoned anyway.
        }
      }
    }

    /**
     * Which timeout ended a request that got no answer: OkHttp says connect and read timeouts with a
     * SocketTimeoutException, the whole call's with a plain InterruptedIOException; the first-byte timer cancels.
     */
    private String timeoutReason(IOException e) {
      if (firstByteExpired) {
        return "no first byte within " + config.firstByteTimeoutMs() + " ms (first_byte_timeout_ms)";
      }
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (e instanceof SocketTimeoutException && m.contains("connect")) {
        return "no connection within " + config.connectTimeoutMs() + " ms (connect_timeout_ms)";
      }
      if (e instanceof SocketTimeoutException) {
        return "no first byte within " + Math.max(config.readTimeoutMs(), config.firstByteTimeoutMs())
            + " ms (read_timeout_ms)";
      }
      return "the whole attempt took over " + config.totalTimeoutMs() + " ms (total_timeout_ms)";
    }

    @Override
    public void onFailure(Call failedCall, IOException e) {
      cancelFirstByteTimer();
      // OkHttp signals connect, read, write and call timeouts as InterruptedIOException (SocketTimeoutException);
      // the first-byte timer's cancel arrives as a plain IOException.
      fail(
          e instanceof InterruptedIOException || firstByteExpired
              ? new RequestTimeoutException(scrub(label + " timed out: " + timeoutReason(e)), 1, e)
              : new TransportException(scrub(label + " failed: " + e), 1, e));
    }

    @Override
    public void onResponse(Call answeredCall, Response response) {
      answered = true;
      cancelFirstByteTimer();
      try (response) {
        handle(response);
      } catch (RuntimeException bug) {
        // A defect here must still complete the future, or the caller hangs.
        fail(bug);
      }
    }

    private void cancelFirstByteTimer() {
      ScheduledFuture<?> t = firstByteTimer;
      if (t != null) {
        t.cancel(false);
      }
    }

    private void handle(Response response) {
      int code = response.code();
      if (code >= 200 && code < 300) {
        String body;
        try {
          body = response.body().string();
        } catch (InterruptedIOException e) {
          fail(new RequestTimeoutException(scrub(label + " timed out reading the body: " + e.getMessage()), 1, e));
          return;
        } catch (IOException e) {
          fail(new MalformedResponseException(scrub(label + ": body cut off (" + e + ")"), 1, e));
          return;
        }
        T value;
        try {
          value = parser.apply(OpenAiJson.parse(body));
        } catch (OpenAiJson.BadBody e) {
          // No cause: the parser's message may quote the body, which we only show scrubbed.
          fail(new MalformedResponseException(scrub(label + ": " + e.getMessage()), 1, null));
          return;
        }
        TokenUsage usage = usageOf.apply(value);
        // The server did the work, so its tokens count whether or not the answer is used.
        promptTokens.add(usage.promptTokens());
        completionTokens.add(usage.completionTokens());
        String served = servedModelOf == null ? null : servedModelOf.apply(value);
        if (served != null && !ServedModel.matches(requestedModel, served, config.servedModel())) {
          fail(new WrongModelException(requestedModel, served, scrub(label + " was answered by model '" + served
              + "', not the requested '" + requestedModel + "'; point the endpoint at a server of that model, or, if"
              + " it is the same model under another name, set served_model: " + served), 1, usage));
          return;
        }
        if (finished.compareAndSet(false, true)) {
          succeeded.increment();
          pending.remove(this);
          future.complete(value);
        }
        return;
      }
      String raw = scrub(errorBody(response));
      String said = scrub(OpenAiJson.errorExcerpt(raw));
      String suffix = said.isEmpty() ? "" : ": " + said;
      long retryAfterMs = Backoff.retryAfterMillis(response.header("Retry-After"), Instant.now());
      Duration retryAfter = retryAfterMs >= 0 ? Duration.ofMillis(retryAfterMs) : null;
      if (code == 429) {
        fail(new RateLimitedException(scrub(label + " was rate limited (429)" + suffix), retryAfter, 1));
      } else if (code == 408) {
        fail(new RequestTimeoutException(scrub(label + ": the server timed out (408)" + suffix), 1, retryAfter));
      } else if (code >= 500) {
        fail(new ServerErrorException(code, scrub(label + " failed on the server (" + code + ")" + suffix), 1,
            retryAfter, raw));
      } else if (code >= 300 && code < 400) {
        String location = response.header("Location");
        String hint = location == null ? "" : "; point base_url at " + location;
        fail(new ClientErrorException(code, said, scrub(label + " was redirected (" + code + ")" + hint), 1));
      } else {
        // The same request would get the same answer: the retry layer reads that from the type.
        fail(new ClientErrorException(code, said, scrub(label + " was rejected (" + code + ")" + suffix), 1));
      }
    }

    void fail(Throwable error) {
      if (finished.compareAndSet(false, true)) {
        failed.increment();
        pending.remove(this);
        future.completeExceptionally(error);
      }
    }

    void abandon() {
      Call current = call;
      if (current != null) {
        current.cancel();
      }
      fail(new TransportException(label + ": client closed while the call was pending", 1, null));
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
}
