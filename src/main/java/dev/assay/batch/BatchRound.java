package dev.assay.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code batch/round-NNN/} folder being written: the request files per endpoint and API and the pending sidecar.
 * One instance per folder per JVM ({@link #open}), shared by every DoFn's {@link DeferringBackend}; a request whose key
 * was already written in this round is not written twice (a failed call's twin asks again).
 *
 * <p>Failure modes: an I/O error is an {@link UncheckedIOException}; the run writing the round must stop.
 */
public final class BatchRound implements AutoCloseable {
  /** The sidecar with the ledger's view of every request of the round. */
  public static final String PENDING = "pending.jsonl";

  private static final Map<Path, BatchRound> OPEN = new ConcurrentHashMap<>();

  private final Path dir;
  private final Set<String> written = new HashSet<>(); // guarded by this
  private final Map<String, BufferedWriter> files = new TreeMap<>(); // guarded by this
  private final Map<String, Long> counts = new TreeMap<>(); // guarded by this
  private BufferedWriter pending; // guarded by this

  private BatchRound(Path dir) {
    this.dir = dir;
  }

  /** The JVM's round for {@code dir}, created on first use. */
  public static BatchRound open(Path dir) {
    return OPEN.computeIfAbsent(dir.toAbsolutePath().normalize(), BatchRound::new);
  }

  /** The request file of {@code endpoint} and {@code api} in a round folder. */
  public static String fileName(String endpoint, String api) {
    return endpoint + "." + api + ".jsonl";
  }

  /**
   * Writes one request line (unless its key is already in the round) and its pending entry.
   *
   * @param line the OpenAI batch request line, its {@code custom_id} the key
   */
  public synchronized void add(PendingRequest request, ObjectNode line) {
    if (!written.add(request.key())) {
      return;
    }
    try {
      if (pending == null) {
        Files.createDirectories(dir);
        pending = Files.newBufferedWriter(dir.resolve(PENDING), StandardCharsets.UTF_8);
      }
      String name = fileName(request.endpoint(), request.api());
      BufferedWriter out = files.get(name);
      if (out == null) {
        out = Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
        files.put(name, out);
      }
      out.write(Json.line(line));
      out.write('\n');
      pending.write(Json.line(request));
      pending.write('\n');
      counts.merge(name, 1L, Long::sum);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write batch file in " + dir, e);
    }
  }

  /** Requests written so far, by file name. */
  public synchronized Map<String, Long> counts() {
    return Map.copyOf(counts);
  }

  public Path dir() {
    return dir;
  }

  /** Flushes and closes the files and forgets the JVM's instance. */
  @Override
  public synchronized void close() {
    OPEN.remove(dir, this);
    IOException first = null;
    for (BufferedWriter w : files.values()) {
      first = closeQuietly(w, first);
    }
    files.clear();
    if (pending != null) {
      first = closeQuietly(pending, first);
      pending = null;
    }
    if (first != null) {
      throw new UncheckedIOException("cannot close batch files in " + dir, first);
    }
  }

  private static IOException closeQuietly(BufferedWriter w, IOException first) {
    try {
      w.close();
      return first;
    } catch (IOException e) {
      return first == null ? e : first;
    }
  }
}
