package dev.assay.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an endpoint in batch mode submitted, in {@code batch/online/<endpoint>/journal.jsonl}: an {@code intent} line
 * (with the local id the batch carries in its metadata) before the input file is uploaded, a {@code created} line with
 * the provider's batch id as soon as the creation returns, a {@code done} line once its results are read. Each line is
 * flushed to the operating system before the next step, so a killed run finds every batch it may have created: one
 * with a batch id is polled again, one with only an intent is looked up by its metadata, and none is created twice.
 *
 * <p>Failure modes: I/O errors are {@link UncheckedIOException}s (a run that cannot record what it submits must
 * stop); a torn last line (a kill mid-write) is ignored, as the ledger ignores one.
 */
final class BatchJournal {
  /** A submitted batch as the journal knows it; {@code batchId} null when only the intent was recorded. */
  record Entry(String localId, String batchId, boolean done) {}

  private final Path file;

  BatchJournal(Path dir) {
    this.file = dir.resolve("journal.jsonl");
  }

  /** Every batch in the journal, by local id, in the order of their intents. */
  synchronized Map<String, Entry> entries() {
    Map<String, Entry> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode node;
        try {
          node = Json.mapper().readTree(line);
        } catch (IOException torn) {
          continue;
        }
        if (node == null || !node.isObject()) {
          continue;
        }
        String id = node.path("local_id").asText();
        Entry was = out.getOrDefault(id, new Entry(id, null, false));
        switch (node.path("event").asText()) {
          case "intent" -> out.putIfAbsent(id, was);
          case "created" -> out.put(id, new Entry(id, node.path("batch_id").asText(), was.done()));
          case "done" -> out.put(id, new Entry(id, was.batchId(), true));
          default -> {}
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read batch journal " + file, e);
    }
    return out;
  }

  void intent(String localId) {
    append(Json.mapper().createObjectNode().put("event", "intent").put("local_id", localId));
  }

  void created(String localId, String batchId) {
    append(Json.mapper().createObjectNode().put("event", "created").put("local_id", localId).put("batch_id", batchId));
  }

  void done(String localId) {
    append(Json.mapper().createObjectNode().put("event", "done").put("local_id", localId));
  }

  private synchronized void append(ObjectNode line) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
        out.write((Json.line(line) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to batch journal " + file, e);
    }
  }
}
