package dev.assay.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import dev.assay.llm.BudgetExceededException;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.ClientErrorException;
import dev.assay.llm.CompletionRequest;
import dev.assay.llm.CompletionResponse;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.KeyAwareBackend;
import dev.assay.llm.LlmException;
import dev.assay.llm.OpenAiBatchFormat;
import dev.assay.llm.OpenAiClient;
import dev.assay.llm.ServerErrorException;
import dev.assay.llm.TokenEstimate;
import dev.assay.llm.TokenUsage;
import dev.assay.llm.TransportException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * An endpoint in batch mode ({@code mode: batch}): calls are collected into OpenAI batch files, uploaded ({@code POST
 * /v1/files}), submitted ({@code POST /v1/batches}), polled with a doubling wait, and answered from the output and
 * error files. The run's DoFns see an ordinary backend whose answers take as long as a batch takes.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>A batch is submitted when no call arrived for {@code batch.idle_ms}, or when it reaches {@code
 *       batch.max_requests} lines or {@code batch.max_bytes}; chat and completions calls go in separate batches (one
 *       endpoint per batch, as the Batch API requires).
 *   <li>Every batch is in the {@link BatchJournal} before it is created (intent, with a local id sent as the batch's
 *       metadata) and its id as soon as the creation returns; a backend started on the same run directory polls
 *       the journal's unfinished batches again, and finds a batch whose creation returned unrecorded by its
 *       metadata, so a killed run resumes polling and never submits a batch twice.
 *   <li>Output lines complete their calls through the live client's parser (model check included). Error-file lines
 *       that say "try later" (no response, as an expired batch's lines are; 429; 5xx) and lines of a failed or
 *       cancelled batch that appear in neither file are submitted again in a later batch, up to {@code max_retries}
 *       times per call; other error lines fail their call with {@link ClientErrorException}.
 *   <li>The budget cap ({@code budget_tokens}, {@code budget_cost}) counts a batch as spent when it is submitted:
 *       each line is estimated as the live path estimates a request ({@link TokenEstimate}: prompt characters / 4,
 *       {@code max_tokens} per choice), a batch whose estimate, added to what was spent and what submitted batches
 *       may still cost, would pass a cap (cost at the batch discount) is not submitted, and its lines and every
 *       later call fail unsent with {@link BudgetExceededException}, as the live path's budget stop fails them. A
 *       line's estimate is released for its actual usage when its answer is read (or when it is sent again). A
 *       batch restored from the journal counts against the resumed run's cap too: its lines' estimates are
 *       committed when it is restored and released as their answers are read, and an answer's usage counts when
 *       it arrives, whether or not the run has asked for that line yet (the provider billed it).
 * </ul>
 *
 * <p>Failure modes: an API call (upload, create, poll, download) that keeps failing after {@code max_retries} fails
 * every call of the batch with the typed {@link LlmException}; a journal that cannot be written is an {@link
 * UncheckedIOException} on the calling thread.
 */
public final class OnlineBatchBackend implements KeyAwareBackend {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType JSONL = MediaType.get("application/jsonl");
  private static final TokenEstimate NOTHING = new TokenEstimate(0, 0);

  /** One request as a batch line; {@code estimate} is what it may cost, as the budget counts it. */
  private record Line(String key, String api, String model, String json, TokenEstimate estimate) {}

  private final String endpoint;
  private final EndpointConfig config;
  private final Path dir;
  private final String root;
  private final String apiKey;
  private final OkHttpClient http;
  private final ScheduledThreadPoolExecutor timer;
  private final BatchJournal journal;

  // All guarded by this.
  private final Map<String, CompletableFuture<Object>> asked = new HashMap<>();
  private final Map<String, Map<String, Line>> collecting = new HashMap<>(); // api -> key -> line
  private final Map<String, Long> collectingBytes = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> flushes = new HashMap<>();
  private final Map<String, String> inBatch = new HashMap<>(); // key -> local id of the batch that carries it
  private final Map<String, Object> early = new HashMap<>(); // answers of restored batches nobody asked for yet
  private final Map<String, Integer> submissions = new HashMap<>();
  private final Map<String, TokenEstimate> committed = new HashMap<>(); // key -> estimate, while its batch runs
  private TokenEstimate committedTotal = NOTHING;
  private String budgetRefusal; // why a batch was refused for the budget; later calls are refused alike

  private final AtomicLong httpRequests = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong resubmitted = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();
  private final AtomicLong batchesCreated = new AtomicLong();

  /**
   * @param dir this endpoint's folder under the run's {@code batch/online/}
   * @throws IllegalArgumentException for an API key variable that is not set (named, never its value)
   */
  public OnlineBatchBackend(String endpoint, EndpointConfig config, Path dir, Function<String, String> env) {
    this.endpoint = endpoint;
    this.config = config;
    this.dir = dir;
    this.root = config.baseUrl().replaceAll("/+$", "");
    this.apiKey = OpenAiClient.readApiKey(config, env, root);
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
            .readTimeout(Duration.ofMillis(config.readTimeoutMs()))
            .build();
    this.timer = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "assay-batch-" + endpoint);
      t.setDaemon(true);
      return t;
    });
    this.journal = new BatchJournal(dir);
    restore();
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request, String ledgerKey) {
    return ask(new Line(ledgerKey, "chat", request.model(), Json.line(OpenAiBatchFormat.chatLine(ledgerKey, request)), TokenEstimate.of(request)))
        .thenApply(ChatResponse.class::cast);
  }

  @Override
  public CompletableFuture<CompletionResponse> complete(CompletionRequest request, String ledgerKey) {
    return ask(new Line(ledgerKey, "completions", request.model(), Json.line(OpenAiBatchFormat.completionLine(ledgerKey, request)), TokenEstimate.of(request)))
        .thenApply(CompletionResponse.class::cast);
  }

  private synchronized CompletableFuture<Object> ask(Line line) {
    CompletableFuture<Object> already = asked.get(line.key());
    if (already != null) {
      return already;
    }
    CompletableFuture<Object> answer = new CompletableFuture<>();
    asked.put(line.key(), answer);
    if (budgetRefusal != null && !inBatch.containsKey(line.key()) && !early.containsKey(line.key())) {
      settle(line.key(), new BudgetExceededException(budgetRefusal));
      return answer;
    }
    Object arrived = early.remove(line.key());
    if (arrived != null) {
      deliver(line.key(), arrived); // its usage was counted when it arrived
    } else if (!inBatch.containsKey(line.key())) {
      enqueue(line); // else a batch restored from the journal carries it
    }
    return answer;
  }

  /** Caller holds the lock. */
  private void enqueue(Line line) {
    Map<String, Line> open = collecting.computeIfAbsent(line.api(), a -> new LinkedHashMap<>());
    long bytes = collectingBytes.getOrDefault(line.api(), 0L);
    long size = line.json().getBytes(StandardCharsets.UTF_8).length + 1L;
    if (!open.isEmpty() && bytes + size > config.batch().maxBytes()) {
      submitCollected(line.api());
      open = collecting.computeIfAbsent(line.api(), a -> new LinkedHashMap<>());
      bytes = 0;
    }
    open.put(line.key(), line);
    collectingBytes.put(line.api(), bytes + size);
    if (open.size() >= config.batch().maxRequests()) {
      submitCollected(line.api());
      return;
    }
    ScheduledFuture<?> pending = flushes.get(line.api());
    if (pending != null) {
      pending.cancel(false);
    }
    flushes.put(line.api(), timer.schedule(() -> flush(line.api()), config.batch().idleMs(), TimeUnit.MILLISECONDS));
  }

  private synchronized void flush(String api) {
    if (!collecting.getOrDefault(api, Map.of()).isEmpty()) {
      submitCollected(api);
    }
  }

  /**
   * Caller holds the lock: hands the collected lines of {@code api} to a submission, or, when the batch's estimated
   * cost would take the spend past the budget cap, fails them with {@link BudgetExceededException} unsent.
   */
  private void submitCollected(String api) {
    List<Line> lines = new ArrayList<>(collecting.remove(api).values());
    collectingBytes.remove(api);
    ScheduledFuture<?> pending = flushes.remove(api);
    if (pending != null) {
      pending.cancel(false);
    }
    TokenEstimate estimate = NOTHING;
    for (Line l : lines) {
      estimate = estimate.plus(l.estimate());
    }
    String refusal = budgetRefusal != null ? budgetRefusal : crossesBudget(lines.size(), estimate);
    if (refusal != null) {
      budgetRefusal = refusal;
      lines.forEach(l -> settle(l.key(), new BudgetExceededException(refusal)));
      return;
    }
    String localId = UUID.randomUUID().toString();
    for (Line l : lines) {
      inBatch.put(l.key(), localId);
      committed.put(l.key(), l.estimate());
    }
    committedTotal = committedTotal.plus(estimate);
    timer.execute(() -> submit(localId, lines));
  }

  /**
   * Caller holds the lock. Why a batch of {@code count} lines estimated at {@code estimate} must not be submitted:
   * what was spent (answers read), what submitted batches may still cost (their estimates) and this batch together
   * would pass {@code budget_tokens} or {@code budget_cost} (at the batch discount). Null when it fits.
   */
  private String crossesBudget(int count, TokenEstimate estimate) {
    double prompt = promptTokens.get() + committedTotal.promptTokens() + estimate.promptTokens();
    double completion = completionTokens.get() + committedTotal.completionTokens() + estimate.completionTokens();
    String batch = String.format(Locale.ROOT, "a batch of %d requests to endpoint %s (estimated %.0f tokens) was not submitted: ", count, endpoint, estimate.total());
    if (config.budgetTokens() > 0 && prompt + completion > config.budgetTokens()) {
      return batch + String.format(Locale.ROOT, "with %d tokens spent and %.0f committed to submitted batches it would pass the token budget of %d",
          promptTokens.get() + completionTokens.get(), committedTotal.total(), config.budgetTokens());
    }
    double cost = config.billedCost(Math.round(prompt), Math.round(completion));
    if (config.budgetCost() > 0 && cost > config.budgetCost()) {
      return batch + String.format(Locale.ROOT, "spent and committed with it, %.4f, would pass the cost budget of %.4f", cost, config.budgetCost());
    }
    return null;
  }

  /** Caller holds the lock: the line left its batch (answered, failed or sent again), so its estimate is released. */
  private void release(String key) {
    TokenEstimate e = committed.remove(key);
    if (e != null) {
      committedTotal = new TokenEstimate(
          Math.max(0, committedTotal.promptTokens() - e.promptTokens()), Math.max(0, committedTotal.completionTokens() - e.completionTokens()));
    }
  }

  private void submit(String localId, List<Line> lines) {
    try {
      Path input = dir.resolve(localId + ".jsonl");
      Files.createDirectories(dir);
      StringBuilder body = new StringBuilder();
      lines.forEach(l -> body.append(l.json()).append('\n'));
      Files.writeString(input, body, StandardCharsets.UTF_8);
      journal.intent(localId);
      JsonNode file =
          call(
              "upload the batch input",
              new Request.Builder()
                  .url(root + "/files")
                  .post(
                      new MultipartBody.Builder()
                          .setType(MultipartBody.FORM)
                          .addFormDataPart("purpose", "batch")
                          .addFormDataPart("file", localId + ".jsonl", RequestBody.create(body.toString(), JSONL))
                          .build()));
      ObjectNode create = Json.mapper().createObjectNode();
      create.put("input_file_id", file.path("id").asText());
      create.put("endpoint", lines.get(0).api().equals("chat") ? OpenAiBatchFormat.CHAT_URL : OpenAiBatchFormat.COMPLETIONS_URL);
      create.put("completion_window", "24h");
      create.putObject("metadata").put("assay_local_id", localId);
      JsonNode batch =
          call("create the batch", new Request.Builder().url(root + "/batches").post(RequestBody.create(Json.line(create), JSON)));
      batchesCreated.incrementAndGet();
      journal.created(localId, batch.path("id").asText());
      poll(localId, batch.path("id").asText(), config.batch().pollMs());
    } catch (LlmException e) {
      lines.forEach(l -> settle(l.key(), e));
    } catch (IOException | RuntimeException e) {
      LlmException broken = new TransportException("batch submission for endpoint " + endpoint + " failed: " + e.getMessage(), 1, e);
      lines.forEach(l -> settle(l.key(), broken));
    }
  }

  private void poll(String localId, String batchId, long waitMs) {
    timer.schedule(
        () -> {
          try {
            JsonNode batch = call("poll the batch", new Request.Builder().url(root + "/batches/" + batchId).get());
            String status = batch.path("status").asText();
            if (List.of("validating", "in_progress", "finalizing", "cancelling").contains(status)) {
              poll(localId, batchId, Math.min(waitMs * 2, config.batch().maxPollMs()));
              return;
            }
            finish(localId, batch);
          } catch (LlmException e) {
            failBatch(localId, e);
          } catch (RuntimeException e) {
            failBatch(localId, new TransportException("polling batch " + batchId + " failed: " + e.getMessage(), 1, e));
          }
        },
        waitMs,
        TimeUnit.MILLISECONDS);
  }

  private void finish(String localId, JsonNode batch) {
    Map<String, Line> lines = readInput(localId);
    Map<String, Boolean> seen = new HashMap<>();
    for (JsonNode out : fileLines(batch.path("output_file_id"))) {
      OpenAiBatchFormat.Output o = OpenAiBatchFormat.output(out);
      Line line = lines.get(o.customId());
      if (line == null || seen.put(o.customId(), true) != null) {
        continue; // not ours, or a repeat
      }
      if (o.answered()) {
        try {
          Object response =
              line.api().equals("chat")
                  ? OpenAiBatchFormat.chatResponse(o.body(), line.model())
                  : OpenAiBatchFormat.completionResponse(o.body(), line.model());
          settle(line.key(), response);
        } catch (LlmException e) {
          settle(line.key(), e);
        }
      } else {
        answerError(line, o);
      }
    }
    for (JsonNode err : fileLines(batch.path("error_file_id"))) {
      OpenAiBatchFormat.Output o = OpenAiBatchFormat.output(err);
      Line line = lines.get(o.customId());
      if (line != null && seen.put(o.customId(), true) == null) {
        answerError(line, o);
      }
    }
    for (Line line : lines.values()) {
      if (!seen.containsKey(line.key())) {
        resubmit(line, "batch " + batch.path("id").asText() + " ended " + batch.path("status").asText() + " without it");
      }
    }
    journal.done(localId);
  }

  private void answerError(Line line, OpenAiBatchFormat.Output o) {
    boolean later = o.status() == 0 || o.status() == 429 || o.status() >= 500;
    if (later) {
      resubmit(line, o.error());
    } else {
      settle(line.key(), new ClientErrorException(o.status(), o.error(), "batch line answered " + o.status() + ": " + o.error(), 1));
    }
  }

  private synchronized void resubmit(Line line, String why) {
    inBatch.remove(line.key());
    release(line.key());
    if (!asked.containsKey(line.key())) {
      return; // a restored batch's line that this run has not asked for; asked later, it is sent afresh
    }
    int n = submissions.merge(line.key(), 1, Integer::sum);
    if (n > config.maxRetries()) {
      settle(line.key(), new ServerErrorException(500, "batch line not answered after " + n + " submissions: " + why, n));
      return;
    }
    resubmitted.incrementAndGet();
    enqueue(line);
  }

  private synchronized void failBatch(String localId, LlmException e) {
    List<String> keys = inBatch.entrySet().stream().filter(x -> x.getValue().equals(localId)).map(Map.Entry::getKey).toList();
    keys.forEach(k -> settle(k, e));
  }

  private synchronized void settle(String key, Object result) {
    inBatch.remove(key);
    release(key);
    if (!(result instanceof LlmException)) {
      // Billed when the provider answered, whether or not this run has asked for it yet (a restored batch's line).
      TokenUsage usage = result instanceof ChatResponse c ? c.usage() : ((CompletionResponse) result).usage();
      promptTokens.addAndGet(usage.promptTokens());
      completionTokens.addAndGet(usage.completionTokens());
    }
    deliver(key, result);
  }

  /** Caller holds the lock: completes the call that asked for {@code key}, or keeps the result until one does. */
  private void deliver(String key, Object result) {
    CompletableFuture<Object> answer = asked.remove(key);
    if (answer == null) {
      early.put(key, result);
      return;
    }
    if (result instanceof LlmException e) {
      failed.incrementAndGet();
      answer.completeExceptionally(e);
    } else {
      succeeded.incrementAndGet();
      answer.complete(result);
    }
  }

  /** Polls again every batch the journal has not finished; adopts one whose creation returned unrecorded. */
  private void restore() {
    Map<String, BatchJournal.Entry> entries = journal.entries();
    JsonNode listed = null;
    for (BatchJournal.Entry e : entries.values()) {
      if (e.done() || !Files.exists(dir.resolve(e.localId() + ".jsonl"))) {
        continue;
      }
      String batchId = e.batchId();
      if (batchId == null) {
        if (listed == null) {
          listed = call("list batches", new Request.Builder().url(root + "/batches?limit=100").get());
        }
        for (JsonNode b : listed.path("data")) {
          if (e.localId().equals(b.path("metadata").path("assay_local_id").asText())) {
            batchId = b.path("id").asText();
            journal.created(e.localId(), batchId);
          }
        }
      }
      if (batchId == null) {
        continue; // never created: its calls are sent afresh when the run asks for them
      }
      synchronized (this) {
        // The batch may still bill its lines: until each is read, its estimate counts against this run's cap as it
        // did against the run that submitted it.
        for (Line line : readInput(e.localId()).values()) {
          inBatch.put(line.key(), e.localId());
          committed.put(line.key(), line.estimate());
          committedTotal = committedTotal.plus(line.estimate());
        }
      }
      poll(e.localId(), batchId, 0);
    }
  }

  private Map<String, Line> readInput(String localId) {
    Map<String, Line> lines = new LinkedHashMap<>();
    try {
      for (String text : Files.readAllLines(dir.resolve(localId + ".jsonl"), StandardCharsets.UTF_8)) {
        if (text.isBlank()) {
          continue;
        }
        JsonNode node = Json.mapper().readTree(text);
        String api = node.path("url").asText().equals(OpenAiBatchFormat.CHAT_URL) ? "chat" : "completions";
        String key = node.path("custom_id").asText();
        lines.put(key, new Line(key, api, node.path("body").path("model").asText(), text, TokenEstimate.ofBody(node.path("body"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read batch input " + dir.resolve(localId + ".jsonl"), e);
    }
    return lines;
  }

  private List<JsonNode> fileLines(JsonNode fileId) {
    if (fileId == null || fileId.isNull() || fileId.asText().isEmpty()) {
      return List.of();
    }
    String text = fetch("download batch results", new Request.Builder().url(root + "/files/" + fileId.asText() + "/content").get());
    List<JsonNode> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        try {
          out.add(Json.mapper().readTree(line));
        } catch (IOException e) {
          throw new ServerErrorException(200, "batch result file " + fileId.asText() + " holds a line that is not JSON", 1);
        }
      }
    }
    return out;
  }

  private JsonNode call(String what, Request.Builder request) {
    try {
      return Json.mapper().readTree(fetch(what, request));
    } catch (IOException e) {
      throw new ServerErrorException(200, "could not " + what + ": the answer is not JSON", 1);
    }
  }

  /** One Batch API request, retried on 429, 5xx and transport errors up to {@code max_retries} with doubling waits. */
  private String fetch(String what, Request.Builder builder) {
    if (apiKey != null) {
      builder.header("Authorization", "Bearer " + apiKey);
    }
    Request request = builder.build();
    long wait = config.initialBackoffMs();
    for (int attempt = 1; ; attempt++) {
      httpRequests.incrementAndGet();
      LlmException error;
      try (Response response = http.newCall(request).execute()) {
        ResponseBody body = response.body();
        String text = body == null ? "" : body.string();
        if (response.isSuccessful()) {
          return text;
        }
        int status = response.code();
        if (status != 429 && status < 500) {
          // The server's words are kept for the failure record; a server that echoes the request must not leak the key.
          String said = apiKey == null ? text : text.replace(apiKey, "[REDACTED]");
          throw new ClientErrorException(status, said, "could not " + what + " on endpoint " + endpoint + ": HTTP " + status, attempt);
        }
        error = new ServerErrorException(status, "could not " + what + " on endpoint " + endpoint + ": HTTP " + status, attempt);
      } catch (IOException e) {
        error = new TransportException("could not " + what + " on endpoint " + endpoint + ": " + e.getMessage(), attempt, e);
      }
      if (attempt > config.maxRetries()) {
        throw error;
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw error;
      }
      wait = Math.min(wait * 2, config.maxBackoffMs());
    }
  }

  /** Batches this backend created (not counting those it found in the journal). */
  public long batchesCreated() {
    return batchesCreated.get();
  }

  /** Calls submitted again after an expired, failed or "try later" answer. */
  public long resubmitted() {
    return resubmitted.get();
  }

  @Override
  public List<String> models() {
    JsonNode root = call("list models", new Request.Builder().url(this.root + "/models").get());
    List<String> ids = new ArrayList<>();
    root.path("data").forEach(m -> ids.add(m.path("id").asText()));
    return ids;
  }

  /**
   * Whether the budget cap stops this endpoint: a batch was refused for it, or what was spent and what submitted
   * batches may still cost already reach a cap. New calls are then refused unsent.
   */
  @Override
  public synchronized boolean budgetExhausted() {
    if (budgetRefusal != null) {
      return true;
    }
    double prompt = promptTokens.get() + committedTotal.promptTokens();
    double completion = completionTokens.get() + committedTotal.completionTokens();
    return config.budgetTokens() > 0 && prompt + completion >= config.budgetTokens()
        || config.budgetCost() > 0 && config.billedCost(Math.round(prompt), Math.round(completion)) >= config.budgetCost();
  }

  @Override
  public EndpointStats stats() {
    double cost = config.billedCost(promptTokens.get(), completionTokens.get());
    return new EndpointStats(httpRequests.get(), succeeded.get(), resubmitted.get(), failed.get(), promptTokens.get(), completionTokens.get(), cost);
  }

  /**
   * Stops polling; calls still waiting stay unanswered (the journal lets a later run pick their batches up). Waits up
   * to 2 s for a poll or a result being read to end, so that its journal line is written before the caller goes on
   * (and, in tests, before the run directory is deleted).
   */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "OnlineBatchBackend[" + endpoint + " at " + root + "]";
  }
}
