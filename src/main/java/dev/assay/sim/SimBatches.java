package dev.assay.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator's OpenAI Batch API: {@code POST /v1/files} (multipart upload, purpose {@code batch}), {@code POST
 * /v1/batches}, {@code GET /v1/batches} (list, newest first), {@code GET /v1/batches/{id}} and {@code GET
 * /v1/files/{id}/content}. A batch is {@code in_progress} for {@link Behaviour#delayMillis} after creation, then ends:
 * each line answered as the live endpoint answers the same body (same engine, same ids), a seeded share of lines
 * failed with a retryable 500 into the error file, the output order shuffled; a batch chosen to expire ends {@code
 * expired} with half its lines answered and the rest in the error file as {@code batch_expired}, as OpenAI reports it.
 *
 * <p>It counts batch creations and the lines submitted again while an earlier batch still carried them or had answered
 * them (a line that ended in the error file may rightly be submitted again), so a test can show that a resumed run
 * never resubmitted what a batch created before a kill carried.
 */
public final class SimBatches {
  /**
   * How batches behave.
   *
   * @param delayMillis time from creation to the end of a batch
   * @param errorShare share of lines failed with a retryable 500 (seeded by the line's custom_id and how often it ran)
   * @param expireBatches the first this-many batches created expire
   * @param seed seeds the shuffling and the errors
   */
  public record Behaviour(long delayMillis, double errorShare, int expireBatches, long seed) {
    public static Behaviour defaults() {
      return new Behaviour(200, 0.0, 0, 1);
    }
  }

  /** Answers one request body as the live endpoint would, or throws the error the endpoint would give. */
  @FunctionalInterface
  interface Answerer {
    ObjectNode answer(String url, JsonNode body) throws SimRequestException;
  }

  /** A reply: HTTP status and JSON (or JSONL) bytes. */
  record Reply(int status, byte[] body) {}

  private record Batch(String id, String inputFileId, String endpoint, long createdMillis, boolean expires, JsonNode metadata) {}

  private final Answerer answerer;
  private volatile Behaviour behaviour = Behaviour.defaults();
  private final Map<String, byte[]> files = new HashMap<>(); // guarded by this
  private final Map<String, Batch> batches = new LinkedHashMap<>(); // guarded by this
  private final Map<String, ObjectNode> ended = new HashMap<>(); // guarded by this: batch id -> final object
  private final Map<String, Integer> lineState = new HashMap<>(); // guarded by this: custom_id -> CARRIED or ANSWERED
  private final Map<String, Integer> submissions = new HashMap<>(); // guarded by this: custom_id -> batches that ran it
  private static final long TAG_ERROR = SimHash.of("batch-error");
  private static final int CARRIED = 1;
  private static final int ANSWERED = 2;
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger repeated = new AtomicInteger();
  private int nextId; // guarded by this

  SimBatches(Answerer answerer) {
    this.answerer = answerer;
  }

  /** Sets how batches created from now on behave. */
  public void behave(Behaviour b) {
    this.behaviour = b;
  }

  /** Batches created since the simulator started. */
  public int created() {
    return created.get();
  }

  /**
   * Lines submitted in a batch while an earlier batch still carried them (running) or had answered them: what a client
   * that loses track of its batches (a kill) would resubmit. Lines that ended in an error file are not counted when
   * submitted again.
   */
  public int linesSubmittedTwice() {
    return repeated.get();
  }

  static boolean handles(String path) {
    return path.equals("/v1/files") || path.startsWith("/v1/files/") || path.equals("/v1/batches") || path.startsWith("/v1/batches/");
  }

  synchronized Reply handle(String method, String path, String contentType, byte[] body) {
    if (method.equals("POST") && path.equals("/v1/files")) {
      return upload(contentType, body);
    }
    if (method.equals("GET") && path.startsWith("/v1/files/") && path.endsWith("/content")) {
      byte[] content = files.get(path.substring("/v1/files/".length(), path.length() - "/content".length()));
      return content == null ? error(404, "No such file") : new Reply(200, content);
    }
    if (method.equals("POST") && path.equals("/v1/batches")) {
      return create(body);
    }
    if (method.equals("GET") && path.equals("/v1/batches")) {
      ObjectNode list = Json.mapper().createObjectNode().put("object", "list");
      ArrayNode data = list.putArray("data");
      List<String> ids = new ArrayList<>(batches.keySet());
      Collections.reverse(ids);
      ids.forEach(id -> data.add(view(batches.get(id))));
      list.put("has_more", false);
      return ok(list);
    }
    if (method.equals("GET") && path.startsWith("/v1/batches/")) {
      Batch b = batches.get(path.substring("/v1/batches/".length()));
      return b == null ? error(404, "No such batch") : ok(view(b));
    }
    return error(404, "Unknown path " + path + " (the simulator's batch API serves /v1/files and /v1/batches)");
  }

  private Reply upload(String contentType, byte[] body) {
    byte[] file = multipartFile(contentType, body);
    if (file == null) {
      return error(400, "expected multipart/form-data with a part named file");
    }
    String id = "file-sim-" + (++nextId);
    files.put(id, file);
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("id", id).put("object", "file").put("bytes", file.length).put("created_at", System.currentTimeMillis() / 1000);
    out.put("filename", "batch.jsonl").put("purpose", "batch");
    return ok(out);
  }

  private Reply create(byte[] body) {
    JsonNode req;
    try {
      req = Json.mapper().readTree(body);
    } catch (IOException e) {
      return error(400, "the request body is not valid JSON");
    }
    String input = req.path("input_file_id").asText("");
    byte[] content = files.get(input);
    if (content == null) {
      return error(400, "input_file_id " + input + " is not an uploaded file");
    }
    int n = created.incrementAndGet();
    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
      try {
        JsonNode parsed = line.isBlank() ? null : Json.mapper().readTree(line);
        if (parsed != null && lineState.put(parsed.path("custom_id").asText(), CARRIED) != null) {
          repeated.incrementAndGet();
        }
      } catch (IOException e) {
        // reported as an error line when the batch ends
      }
    }
    Batch b =
        new Batch(
            "batch-sim-" + (++nextId), input, req.path("endpoint").asText(CHAT_URL), System.currentTimeMillis(),
            n <= behaviour.expireBatches(), req.path("metadata").isObject() ? req.get("metadata") : null);
    batches.put(b.id(), b);
    return ok(view(b));
  }

  private static final String CHAT_URL = "/v1/chat/completions";

  /** The batch object as OpenAI shows it; ends the batch (writing its output files) once its time is up. */
  private ObjectNode view(Batch b) {
    ObjectNode done = ended.get(b.id());
    if (done != null) {
      return done;
    }
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("id", b.id()).put("object", "batch").put("endpoint", b.endpoint()).put("input_file_id", b.inputFileId());
    o.put("completion_window", "24h").put("created_at", b.createdMillis() / 1000);
    if (b.metadata() != null) {
      o.set("metadata", b.metadata());
    }
    if (System.currentTimeMillis() - b.createdMillis() < behaviour.delayMillis()) {
      o.put("status", "in_progress");
      o.putNull("output_file_id");
      o.putNull("error_file_id");
      return o;
    }
    run(b, o);
    ended.put(b.id(), o);
    return o;
  }

  private void run(Batch b, ObjectNode o) {
    String[] lines = new String(files.get(b.inputFileId()), StandardCharsets.UTF_8).split("\n");
    Random random = new Random(behaviour.seed() ^ b.id().hashCode());
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    int i = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      i++;
      JsonNode req;
      try {
        req = Json.mapper().readTree(line);
      } catch (IOException e) {
        err.add(Json.line(errorLine("line-" + i, 400, "invalid JSON on line " + i)));
        continue;
      }
      String customId = req.path("custom_id").asText();
      lineState.remove(customId); // ended: answered (set below) or in the error file, which may be submitted again
      if (b.expires() && random.nextBoolean()) {
        err.add(Json.line(errorLine(customId, 0, "batch_expired")));
        continue;
      }
      // Drawn per submission of the line, so a resubmitted line is not bound to fail again.
      int submission = submissions.merge(customId, 1, Integer::sum);
      if (SimHash.unit(SimHash.key(behaviour.seed(), TAG_ERROR, SimHash.of(customId), submission)) < behaviour.errorShare()) {
        err.add(Json.line(errorLine(customId, 500, "The server had an error while processing your request (simulated)")));
        continue;
      }
      try {
        ObjectNode answer = answerer.answer(req.path("url").asText(), req.path("body"));
        ObjectNode line1 = Json.mapper().createObjectNode();
        line1.put("id", "batch_req_sim_" + i).put("custom_id", customId);
        line1.putObject("response").put("status_code", 200).put("request_id", "req_sim_" + i).set("body", answer);
        line1.putNull("error");
        out.add(Json.line(line1));
        lineState.put(customId, ANSWERED);
      } catch (SimRequestException e) {
        err.add(Json.line(errorLine(customId, e.status, e.getMessage())));
      }
    }
    Collections.shuffle(out, random);
    Collections.shuffle(err, random);
    o.put("status", b.expires() ? "expired" : "completed");
    o.put("output_file_id", out.isEmpty() ? null : store(out));
    o.put("error_file_id", err.isEmpty() ? null : store(err));
    o.putObject("request_counts").put("total", i).put("completed", out.size()).put("failed", err.size());
  }

  private static ObjectNode errorLine(String customId, int status, String message) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("id", "batch_req_sim_err").put("custom_id", customId);
    if (status == 0) {
      line.putNull("response");
      line.putObject("error").put("code", "batch_expired").put("message", "This request could not be executed before the completion window expired.");
    } else {
      ObjectNode r = line.putObject("response").put("status_code", status).put("request_id", "req_sim_err");
      r.putObject("body").putObject("error").put("message", message).put("type", status >= 500 ? "server_error" : "invalid_request_error");
      line.putNull("error");
    }
    return line;
  }

  private String store(List<String> lines) {
    String id = "file-sim-" + (++nextId);
    files.put(id, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    return id;
  }

  /** The bytes of the part named {@code file} of a multipart/form-data body, or null. */
  static byte[] multipartFile(String contentType, byte[] body) {
    if (contentType == null || !contentType.startsWith("multipart/form-data")) {
      return null;
    }
    int at = contentType.indexOf("boundary=");
    if (at < 0) {
      return null;
    }
    String boundary = contentType.substring(at + "boundary=".length()).replace("\"", "").split(";")[0].trim();
    String text = new String(body, StandardCharsets.ISO_8859_1); // byte-preserving
    for (String part : text.split("--" + java.util.regex.Pattern.quote(boundary))) {
      int headersEnd = part.indexOf("\r\n\r\n");
      if (headersEnd < 0) {
        continue;
      }
      String headers = part.substring(0, headersEnd);
      if (headers.contains("name=\"file\"")) {
        String content = part.substring(headersEnd + 4);
        if (content.endsWith("\r\n")) {
          content = content.substring(0, content.length() - 2);
        }
        return content.getBytes(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static Reply ok(JsonNode node) {
    return new Reply(200, Json.line(node).getBytes(StandardCharsets.UTF_8));
  }

  private static Reply error(int status, String message) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.putObject("error").put("message", message).put("type", "invalid_request_error");
    return new Reply(status, Json.line(root).getBytes(StandardCharsets.UTF_8));
  }
}
