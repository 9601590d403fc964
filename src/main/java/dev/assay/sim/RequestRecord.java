package dev.assay.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * One request the simulator answered, as its log keeps it.
 *
 * @param timestamp when the reply was decided (before any injected delay)
 * @param method the HTTP method
 * @param path the request path, e.g. {@code /v1/chat/completions}
 * @param model the requested model id, or null (no body, or a body without one)
 * @param bodySha256 hex SHA-256 of the canonical request body (JSON with sorted keys; the raw bytes when not JSON),
 *     or null for a request without a body
 * @param attempt how many times this same body had been seen, this one included (1 = first); counted only while
 *     the fault plan can inject faults (faults are drawn per attempt), otherwise always 1
 * @param status the HTTP status sent, 0 when the connection was reset without a reply
 * @param fault the injected fault, {@link Fault#NONE} for a normal reply
 * @param delayMillis how long after {@code timestamp} the reply was due to be written: the drawn latency, or a
 *     timeout fault's hold; 0 for one written at once. The request was in flight (received, not answered) from
 *     {@code timestamp} to {@link #dueAt()}, give or take the scheduler's lag on a loaded machine
 */
public record RequestRecord(
    Instant timestamp,
    String method,
    String path,
    String model,
    String bodySha256,
    int attempt,
    int status,
    Fault fault,
    long delayMillis) {
  public RequestRecord {
    Objects.requireNonNull(timestamp, "timestamp");
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delayMillis must be >= 0: " + delayMillis);
    }
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(fault, "fault");
  }

  /** When the reply was due to be written ({@code timestamp + delayMillis}). */
  public Instant dueAt() {
    return timestamp.plusMillis(delayMillis);
  }

  /** One compact JSON line (keys sorted, no newline), the form the simulator appends to its log file. */
  public String toJsonLine() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("attempt", attempt);
    o.put("body_sha256", bodySha256);
    o.put("delay_ms", delayMillis);
    o.put("fault", fault.wire());
    o.put("method", method);
    o.put("model", model);
    o.put("path", path);
    o.put("status", status);
    o.put("timestamp", timestamp.toString());
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a line written by {@link #toJsonLine()} (e.g. by a test reading another process's log file).
   *
   * @throws IllegalArgumentException if the line is not such a record
   */
  public static RequestRecord fromJsonLine(String line) {
    try {
      JsonNode o = Json.mapper().readTree(line);
      return new RequestRecord(
          Instant.parse(o.get("timestamp").asText()),
          o.get("method").asText(),
          o.get("path").asText(),
          o.path("model").isTextual() ? o.get("model").asText() : null,
          o.path("body_sha256").isTextual() ? o.get("body_sha256").asText() : null,
          o.get("attempt").asInt(),
          o.get("status").asInt(),
          Fault.valueOf(o.get("fault").asText().toUpperCase(Locale.ROOT)),
          o.path("delay_ms").asLong(0)); // absent in lines written before the field existed
    } catch (JsonProcessingException | DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("not a simulator request record: " + line, e);
    }
  }
}
