package dev.assay.sim;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.assay.io.Hashing;
import dev.assay.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded OpenAI-compatible simulator: a local HTTP server whose models are simulated, with a hidden true
 * quality per response ({@link SimWorld}), configurable judges ({@link ModelProfile}), latency ({@link Latency}) and
 * injected faults ({@link FaultPlan}). It serves Assay's demo, tests, benchmarks and fault-injection suite, and it
 * says so everywhere: model ids start with {@code sim-}, {@code /v1/models} lists them as owned by
 * {@code assay-simulator}, every reply carries {@code X-Assay-Simulator: true} and {@code system_fingerprint}
 * {@code assay-simulator}, and starting it logs {@link #banner()}.
 *
 * <p><b>Endpoints</b> (on 127.0.0.1 only):
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: {@code model, messages, temperature, top_p, max_tokens, n, seed}. The last
 *       user message decides the role: {@code <response>...</response>} with the {@code [RESULT]} instruction is an
 *       absolute judgment (answered {@code Feedback: ... [RESULT] n}), {@code <response_a>}/{@code <response_b>} a
 *       pairwise one ({@code [RESULT] A|B|tie}), anything else a policy request. Usage counts whitespace words.
 *   <li>{@code POST /v1/completions} with {@code echo} and {@code logprobs} (and {@code max_tokens} 0 to score only):
 *       per-token log-probs, first one null, {@code top_logprobs} null (see {@link SimLogprobs} for the model).
 *   <li>{@code GET /v1/models} and {@code GET /v1/models/{id}}.
 * </ul>
 *
 * Errors are OpenAI-shaped ({@code {"error": {"message", "type", "param", "code"}}}): 400 for a body that is not
 * JSON or a field of the wrong type or range, 404 for an unknown model or path, 405 for a wrong method.
 *
 * <p><b>Determinism.</b> A reply's content is a pure function of the world seed, the model's profile and the
 * request's content: {@code created} is 0, ids derive from the body hash, a missing {@code seed} counts as 0, and
 * temperature 0 ignores seed and choice index (greedy). Faults and latency depend on the transport seed, the body
 * hash and the body's attempt number, never the other way round; so a body retried after a fault gets the bytes it
 * would have got the first time.
 *
 * <p><b>Latency and faults</b> apply to POSTs only; {@code GET /v1/models} answers at once, so it can serve as a
 * health check. Bad requests (400, 404) are delayed like any reply but never faulted. Per-body attempt numbers are
 * kept (about 100 bytes per distinct body) only while the fault plan can inject faults.
 *
 * <p><b>Concurrency.</b> Requests are answered by a small pool; injected latency never occupies it: the finished
 * reply is handed to a scheduler that writes it when due. So thousands of requests can wait at once. Starting a
 * simulator sets {@code sun.net.httpserver.nodelay=true} unless already set: without it the JDK server's replies
 * stall ~40 ms each on Nagle's algorithm. The JDK reads that property once, so a JVM that created another
 * {@code HttpServer} before the first simulator keeps the stall (pass {@code -Dsun.net.httpserver.nodelay=true}).
 *
 * <p><b>Accounting.</b> Every request is counted per path and status and logged ({@link RequestRecord}); see
 * {@link #requestLog()}, {@link #servedCount()}, {@link #resetLog()} and {@link SimulatorConfig#requestLogFile()}.
 *
 * <p><b>Failure modes.</b> {@link #start} throws {@link IOException} when the port cannot be bound or the log file
 * cannot be opened. An unexpected error while answering becomes a 500 with type {@code simulator_error} (and is
 * logged), never a hung connection. {@link #close()} drops replies still waiting (delayed or held by a timeout
 * fault) by closing their connections.
 */
public final class Simulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
  private static final long TAG_FAULT = SimHash.of("fault");
  private static final long TAG_LATENCY = SimHash.of("latency");
  private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
  private static final String CHAT = "/v1/chat/completions";
  private static final String COMPLETIONS = "/v1/completions";
  private static final String MODELS = "/v1/models";
  private static final String NODELAY = "sun.net.httpserver.nodelay";
  private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";
  private static final String INVALID = "invalid_request_error";

  private final SimulatorConfig config;
  private final SimEngine engine;
  private final RequestLog log;
  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledThreadPoolExecutor timers;
  private final Set<HttpExchange> waiting = ConcurrentHashMap.newKeySet();
  /** Per body hash: {attempts seen, faults injected}; kept only when the plan can inject faults. */
  private final Map<String, int[]> bodies = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final SimBatches batches = new SimBatches(this::answerBody);
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Simulator(SimulatorConfig config) throws IOException {
    // The JDK server writes headers and body as separate TCP segments; with Nagle on, the client's delayed ACK adds
    // ~40 ms to every reply (measured here: 51 ms per request, 5 ms with nodelay). The JDK reads this property once,
    // when its first HttpServer is made, so it only helps if no HttpServer was created in this JVM before; a user's
    // own setting wins.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    // The JDK server closes idle keep-alive connections beyond 200 by default; a client holding 256 in flight then
    // sees resets that no real inference server would cause (measured by the I/O benchmark: 276 of 30,000 calls).
    if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
      System.setProperty(MAX_IDLE_CONNECTIONS, "4096");
    }
    this.config = config;
    this.engine = new SimEngine(config);
    this.log = new RequestLog(config.logCapacity(), config.requestLogFile());
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), daemon("assay-sim-worker"));
    this.timers = new ScheduledThreadPoolExecutor(2, daemon("assay-sim-timer"));
    timers.setRemoveOnCancelPolicy(true);
    try {
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      this.server = HttpServer.create(new InetSocketAddress(loopback, config.port()), 1024);
    } catch (IOException e) {
      shutdownPools();
      log.close();
      throw new IOException("the simulator cannot listen on 127.0.0.1:" + config.port() + ": " + e.getMessage(), e);
    }
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /**
   * Starts a simulator and returns once it accepts connections.
   *
   * @throws IOException if the port cannot be bound or the request log file cannot be opened
   */
  public static Simulator start(SimulatorConfig config) throws IOException {
    Simulator sim = new Simulator(config);
    sim.server.start();
    LOG.info(sim.banner());
    return sim;
  }

  /** The port it listens on (the real one when the configuration asked for 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The OpenAI base URL, {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /** The configuration it was started with. */
  public SimulatorConfig config() {
    return config;
  }

  /** One line that says this is a simulator, where it listens and what it serves. */
  public String banner() {
    return "ASSAY SIMULATOR (simulated models, not a real LLM) at " + baseUrl() + " serving "
        + String.join(", ", config.models().stream().map(ModelProfile::name).toList())
        + "; latency " + config.latency() + "; faults " + (config.faults().any() ? config.faults() : "none");
  }

  /** The most recent records (up to {@link SimulatorConfig#logCapacity()}), oldest first; a snapshot. */
  public List<RequestRecord> requestLog() {
    return log.records();
  }

  /** All requests answered since start or {@link #resetLog()}, whatever their path and status. */
  public long servedCount() {
    return log.total();
  }

  /** Requests answered on {@code path} (e.g. {@code /v1/chat/completions}), any status. */
  public long servedCount(String path) {
    return log.count(path);
  }

  /** Requests answered on {@code path} with {@code status} (0 = connection reset without a reply). */
  public long servedCount(String path, int status) {
    return log.count(path, status);
  }

  /**
   * Clears the in-memory log and the counts (not the log file, and not the per-body attempt numbers that faults are
   * drawn from). Meant for a quiet moment between test phases; requests in flight may or may not be counted.
   */
  public void resetLog() {
    log.reset();
  }

  /**
   * Prints the banner to stderr and blocks until the thread is interrupted or {@link #close()} is called elsewhere
   * (e.g. by a shutdown hook), then closes. The {@code simulate} command's main loop.
   */
  public void runUntilInterrupted() {
    System.err.println(banner());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  /** Stops listening, drops waiting replies, closes the log file. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    shutdownPools();
    for (HttpExchange ex : waiting) {
      ex.close();
    }
    waiting.clear();
    log.close();
    stopped.countDown();
  }

  private void shutdownPools() {
    timers.shutdownNow();
    workers.shutdownNow();
  }

  // ---------------------------------------------------------------- request handling

  /** What to send, when, and how (a fault may bend the how). */
  private record Reply(int status, byte[] body, Fault fault, long delayMillis) {}

  private void handle(HttpExchange ex) {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    try {
      byte[] body = ex.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
      if (SimBatches.handles(path)) {
        SimBatches.Reply r = batches.handle(method, path, ex.getRequestHeaders().getFirst("Content-Type"), body);
        answerNow(ex, method, path, null, new Reply(r.status(), r.body(), Fault.NONE, 0));
        return;
      }
      boolean post = path.equals(CHAT) || path.equals(COMPLETIONS);
      boolean models = path.equals(MODELS) || path.startsWith(MODELS + "/");
      if (post && method.equals("POST")) {
        post(ex, path, body);
      } else if ((post || models) && !method.equals(post ? "POST" : "GET")) {
        ex.getResponseHeaders().set("Allow", post ? "POST" : "GET");
        answerNow(ex, method, path, null, error(405, INVALID, null, null, method + " is not allowed on " + path));
      } else if (path.equals(MODELS)) {
        answerNow(ex, method, path, null, ok(engine.modelList()));
      } else if (models) {
        String id = path.substring(MODELS.length() + 1);
        answerNow(ex, method, path, id, engine.serves(id) ? ok(engine.modelCard(id)) : unknownModel(id));
      } else {
        String served = " (the simulator serves " + CHAT + ", " + COMPLETIONS + ", " + MODELS + ")";
        answerNow(ex, method, path, null, error(404, INVALID, null, "unknown_url", "Unknown path " + path + served));
      }
    } catch (RuntimeException | IOException e) {
      LOG.error("simulator failed to answer {} {}", method, path, e);
      try {
        answerNow(ex, method, path, null, error(500, "simulator_error", null, null, "simulator failure: " + e));
      } catch (RuntimeException again) {
        ex.close();
      }
    }
  }

  /** Logs and writes a reply that is neither delayed nor faulted. */
  private void answerNow(HttpExchange ex, String method, String path, String model, Reply r) {
    finish(ex, record(method, path, model, null, 1, r, Fault.NONE, 0));
  }

  private static Reply unknownModel(String id) {
    return error(404, INVALID, "model", "model_not_found", "The model `" + id + "` does not exist on this simulator");
  }

  private void post(HttpExchange ex, String path, byte[] body) {
    if (body.length > MAX_BODY_BYTES) {
      String tooBig = "request body over " + MAX_BODY_BYTES + " bytes";
      finish(ex, record("POST", path, null, sha256(body), 1, error(413, INVALID, null, null, tooBig), Fault.NONE, 0));
      return;
    }
    JsonNode root = parseOrNull(body);
    String sha = root == null ? sha256(body) : sha256(canonical(root));
    String model = root != null && root.path("model").isTextual() ? root.get("model").asText() : null;
    long bodyKey = Long.parseUnsignedLong(sha.substring(0, 16), 16);
    if (root == null) {
      Reply r = error(400, INVALID, null, "invalid_json", "the request body is not valid JSON");
      finish(ex, record("POST", path, model, sha, 1, r, Fault.NONE, delay(bodyKey, 1)));
      return;
    }
    SimEngine.Call call;
    try {
      call = path.equals(CHAT) ? engine.parseChat(root) : engine.parseCompletion(root);
    } catch (SimRequestException e) {
      Reply r = error(e.status, e.type, e.param, e.code, e.getMessage());
      finish(ex, record("POST", path, model, sha, 1, r, Fault.NONE, delay(bodyKey, 1)));
      return;
    }
    int[] attemptAndFault = drawFault(sha, bodyKey);
    int attempt = attemptAndFault[0];
    Fault fault = Fault.values()[attemptAndFault[1]];
    String id = (path.equals(CHAT) ? "chatcmpl-sim-" : "cmpl-sim-") + sha.substring(0, 24);
    FaultPlan plan = config.faults();
    Reply reply =
        switch (fault) {
          case NONE, TRUNCATED, SLOW -> ok(answer(call, id));
          case RATE_LIMIT -> error(429, "rate_limit_error", null, "rate_limit_exceeded",
              "Rate limit reached (simulated fault); retry after " + plan.retryAfterSeconds() + " s");
          case SERVER_ERROR -> error(500, "server_error", null, null,
              "The server had an error while processing your request (simulated fault)");
          case TIMEOUT -> error(504, "timeout", null, null, "The request timed out (simulated fault)");
          case MALFORMED -> new Reply(200, malformed(id), Fault.NONE, 0);
          case RESET -> new Reply(0, new byte[0], Fault.NONE, 0);
        };
    long delay = fault == Fault.TIMEOUT ? plan.timeoutHoldMillis() : delay(bodyKey, attempt);
    finish(ex, record("POST", path, model, sha, attempt, reply, fault, delay));
  }

  /** The live answer to one request body (no latency, no fault): what a batch line gets. */
  private ObjectNode answerBody(String url, JsonNode root) throws SimRequestException {
    SimEngine.Call call = url.equals(CHAT) ? engine.parseChat(root) : engine.parseCompletion(root);
    String sha = sha256(canonical(root));
    return answer(call, (url.equals(CHAT) ? "chatcmpl-sim-" : "cmpl-sim-") + sha.substring(0, 24));
  }

  /** The simulator's Batch API: its behaviour (delay, errors, expiry) and its counts of created batches. */
  public SimBatches batches() {
    return batches;
  }

  private ObjectNode answer(SimEngine.Call call, String id) {
    return call instanceof SimEngine.ChatCall chat
        ? engine.answerChat(chat, id)
        : engine.answerCompletion((SimEngine.CompletionCall) call, id);
  }

  /** Starts like a reply, then is not JSON: what a proxy or a crashing server sometimes sends with a 200. */
  private static byte[] malformed(String id) {
    return ("{\"id\": \"" + id + "\", \"object\": <simulated malformed body>, \"choices\": [")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {attempt number, fault ordinal} for this arrival of a body, decided atomically per body. */
  private int[] drawFault(String sha, long bodyKey) {
    FaultPlan plan = config.faults();
    if (!plan.any()) {
      return new int[] {1, Fault.NONE.ordinal()};
    }
    int[] out = new int[2];
    bodies.compute(
        sha,
        (k, state) -> {
          int[] s = state == null ? new int[2] : state;
          s[0]++;
          double u = SimHash.unit(SimHash.key(config.seed(), TAG_FAULT, bodyKey, s[0]));
          Fault f = s[1] >= plan.maxFaultsPerBody() ? Fault.NONE : plan.pick(u);
          if (f != Fault.NONE) {
            s[1]++;
          }
          out[0] = s[0];
          out[1] = f.ordinal();
          return s;
        });
    return out;
  }

  private long delay(long bodyKey, int attempt) {
    return config.latency().millis(SimHash.key(config.seed(), TAG_LATENCY, bodyKey, attempt));
  }

  /** Logs the reply as decided (so a client that has its reply always finds its record) and returns it, delayed. */
  private Reply record(
      String method, String path, String model, String sha, int attempt, Reply r, Fault fault, long delay) {
    int status = fault == Fault.RESET ? 0 : r.status();
    log.add(new RequestRecord(Instant.now(), method, path, model, sha, attempt, status, fault, Math.max(0, delay)));
    return new Reply(r.status(), r.body(), fault, delay);
  }

  private void finish(HttpExchange ex, Reply r) {
    if (r.delayMillis() <= 0) {
      write(ex, r);
      return;
    }
    waiting.add(ex);
    try {
      timers.schedule(
          () -> {
            if (waiting.remove(ex)) {
              write(ex, r);
            }
          },
          r.delayMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      waiting.remove(ex);
      ex.close();
    }
  }

  private void write(HttpExchange ex, Reply r) {
    boolean trickling = false;
    try {
      if (r.fault() == Fault.RESET) {
        return; // closing an exchange before sending headers drops the connection: the client sees no reply
      }
      Headers h = ex.getResponseHeaders();
      h.set("Content-Type", "application/json");
      h.set("X-Assay-Simulator", "true");
      if (r.fault() == Fault.RATE_LIMIT) {
        h.set("Retry-After", Integer.toString(config.faults().retryAfterSeconds()));
      }
      ex.sendResponseHeaders(r.status(), r.body().length);
      OutputStream out = ex.getResponseBody();
      if (r.fault() == Fault.SLOW) {
        trickling = true;
        trickle(ex, out, r.body(), 0);
        return; // the last chunk closes the exchange
      }
      if (r.fault() == Fault.TRUNCATED) {
        // Declare the full length, send half, and leave the stream open: the exchange's own close() then finds the
        // body short and drops the connection. (Closing the stream first would leave the connection open and the
        // client waiting for the rest forever: java.net.http's timeout stops at the headers.)
        out.write(r.body(), 0, r.body().length / 2);
        out.flush();
        return;
      }
      try (out) {
        out.write(r.body());
      }
    } catch (IOException clientGone) {
      // The client hung up (or a truncated reply was cut on purpose): nothing left to tell it.
    } finally {
      if (!trickling) {
        ex.close();
      }
    }
  }

  /**
   * Writes chunk {@code i} of ten now and schedules the next one a tenth of the slow-body time later, on the timer
   * (never sleeping on a thread that serves other requests); the last chunk closes the exchange.
   */
  private void trickle(HttpExchange ex, OutputStream out, byte[] body, int i) {
    int chunks = 10;
    int from = body.length * i / chunks;
    int to = body.length * (i + 1) / chunks;
    try {
      out.write(body, from, to - from);
      out.flush();
      if (i == chunks - 1) {
        out.close();
        ex.close();
        return;
      }
      timers.schedule(() -> trickle(ex, out, body, i + 1), Math.max(1, config.faults().slowBodyMillis() / chunks), TimeUnit.MILLISECONDS);
    } catch (IOException | RejectedExecutionException gone) {
      ex.close(); // the client gave up (its timeout) or the simulator is closing
    }
  }

  private static Reply ok(ObjectNode body) {
    return new Reply(200, bytes(body), Fault.NONE, 0);
  }

  private static Reply error(int status, String type, String param, String code, String message) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    e.put("param", param);
    e.put("code", code);
    return new Reply(status, bytes(root), Fault.NONE, 0);
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree built here always serialises", e);
    }
  }

  /**
   * The hash under which the simulator logs a request body and draws its faults: hex SHA-256 of the body
   * re-serialised with sorted keys and no whitespace, or of the raw bytes when it is not JSON. Lets another process
   * find its own requests in a {@link SimulatorConfig#requestLogFile()}.
   */
  public static String bodySha256(byte[] body) {
    JsonNode root = parseOrNull(body);
    return root == null ? sha256(body) : sha256(canonical(root));
  }

  /** The JSON tree of a body, or null when it is not exactly one JSON value (empty bodies included). */
  private static JsonNode parseOrNull(byte[] body) {
    try {
      JsonNode root = Json.mapper().readTree(body);
      return root == null || root.isMissingNode() ? null : root;
    } catch (IOException notJson) {
      return null;
    }
  }

  /**
   * The body re-serialised with sorted keys and no whitespace, so formatting and key order do not change its hash.
   *
   * <p>The bytes are those of the program's mapper writing the tree as plain maps and lists (the form the hash was
   * defined by): keys in {@link String#compareTo} order, map entries with a null value left out (the mapper's
   * content inclusion), nulls inside arrays kept. Written straight from the tree, because converting it to maps
   * first cost as much as answering the request.
   */
  private static byte[] canonical(JsonNode root) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = Json.mapper().createGenerator(out, JsonEncoding.UTF8)) {
      writeCanonical(g, root);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed JSON tree always serialises", e);
    }
    return out.toByteArray();
  }

  private static void writeCanonical(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        String[] names = new String[node.size()];
        int i = 0;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names[i++] = it.next();
        }
        Arrays.sort(names);
        g.writeStartObject();
        for (String name : names) {
          JsonNode value = node.get(name);
          if (!value.isNull()) {
            g.writeFieldName(name);
            writeCanonical(g, value);
          }
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode element : node) {
          writeCanonical(g, element);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(node.textValue());
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL -> g.writeNull();
      default -> {
        if (node.isInt()) {
          g.writeNumber(node.intValue());
        } else if (node.isLong()) {
          g.writeNumber(node.longValue());
        } else if (node.isDouble()) {
          g.writeNumber(node.doubleValue());
        } else {
          // Never produced by parsing a body with this mapper (big integers, floats, decimals, binary): the
          // general conversion, which is the definition.
          Json.mapper().writeValue(g, Json.mapper().treeToValue(node, Object.class));
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    return Hashing.sha256(bytes);
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
