package dev.assay.sim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's accounting: exact counts per path and status, the most recent records in memory (bounded, so a
 * long benchmark cannot exhaust the heap), and optionally every record appended to a JSONL file, flushed per line so
 * another process can follow it.
 */
final class RequestLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

  private final int capacity;
  private final ArrayDeque<RequestRecord> recent = new ArrayDeque<>();
  private final Map<String, Map<Integer, LongAdder>> counts = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();
  private BufferedWriter file;

  RequestLog(int capacity, Path file) throws IOException {
    this.capacity = capacity;
    if (file != null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      this.file =
          Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  void add(RequestRecord r) {
    total.increment();
    counts
        .computeIfAbsent(r.path(), p -> new ConcurrentHashMap<>())
        .computeIfAbsent(r.status(), s -> new LongAdder())
        .increment();
    synchronized (this) {
      if (capacity > 0) {
        if (recent.size() == capacity) {
          recent.removeFirst();
        }
        recent.addLast(r);
      }
      if (file != null) {
        try {
          file.write(r.toJsonLine());
          file.write('\n');
          file.flush();
        } catch (IOException e) {
          // The reply matters more than its log line: warn once and stop writing rather than fail requests.
          LOG.warn("simulator request log file failed; no further lines will be written", e);
          closeFile();
        }
      }
    }
  }

  synchronized List<RequestRecord> records() {
    return List.copyOf(recent);
  }

  long total() {
    return total.sum();
  }

  long count(String path) {
    Map<Integer, LongAdder> byStatus = counts.get(path);
    return byStatus == null ? 0 : byStatus.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long count(String path, int status) {
    Map<Integer, LongAdder> byStatus = counts.get(path);
    LongAdder n = byStatus == null ? null : byStatus.get(status);
    return n == null ? 0 : n.sum();
  }

  synchronized void reset() {
    recent.clear();
    counts.clear();
    total.reset();
  }

  @Override
  public synchronized void close() {
    closeFile();
  }

  private void closeFile() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        LOG.warn("closing the simulator request log file failed", e);
      }
      file = null;
    }
  }
}
