package dev.assay.bench;

import dev.assay.io.Json;
import dev.assay.ledger.LedgerEntry;
import dev.assay.sim.Simulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's ledger folder as another process sees it while the run writes it: its lines, the simulator body hashes of
 * its requests, and a cheap running count of its entries. The ledger is flushed per completed request, so its size is
 * a point in the run that a crash test or {@code ./assay bench crash} can observe and kill at.
 *
 * <p>Failure modes: {@link IOException} when a shard cannot be read; a folder that does not exist yet reads as empty.
 * A killed writer's torn last line is skipped by {@link #bodies} and by {@link Counter} (it has no newline yet).
 */
public final class LedgerProbe {
  private LedgerProbe() {}

  /** Every line of the ledger's shards; empty before the folder exists. */
  public static List<String> lines(Path ledger) throws IOException {
    return lines(ledger, null);
  }

  /** Every line of the ledger's shards but the one named {@code exceptShard} (null: none left out). */
  public static List<String> lines(Path ledger, String exceptShard) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path shard : shards(ledger)) {
      if (!shard.getFileName().toString().equals(exceptShard)) {
        out.addAll(Files.readAllLines(shard, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /**
   * Simulator body hashes ({@link Simulator#bodySha256}) of the ledger's requests, each with the number of lines that
   * hold it (1 for every request of a sound ledger); a killed writer's torn last line is skipped.
   */
  public static Map<String, Integer> bodies(Path ledger) throws IOException {
    Map<String, Integer> out = new HashMap<>();
    for (String line : lines(ledger)) {
      LedgerEntry e;
      try {
        e = Json.parse(line, LedgerEntry.class);
      } catch (RuntimeException torn) {
        continue; // the line the killed process was writing: its request is sent again, as it should be
      }
      out.merge(Simulator.bodySha256(e.request().getBytes(StandardCharsets.UTF_8)), 1, Integer::sum);
    }
    return out;
  }

  /** The shards (the {@code *.jsonl} files, Ledger's contract; the folder also holds the session marker). */
  private static List<Path> shards(Path ledger) throws IOException {
    if (!Files.isDirectory(ledger)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(ledger)) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  /**
   * Counts the ledger's complete lines, reading only the bytes appended since the last call: at 100,000 entries of a
   * few KB each, rereading the folder every few milliseconds would cost more than the run it watches. Not thread-safe.
   */
  public static final class Counter {
    private final Path ledger;
    private final Map<Path, Long> read = new HashMap<>();
    private long lines;

    public Counter(Path ledger) {
      this.ledger = ledger;
    }

    /** Complete lines in every shard now (shards only grow while a run appends). */
    public long count() throws IOException {
      byte[] buffer = new byte[1 << 16];
      for (Path shard : shards(ledger)) {
        long from = read.getOrDefault(shard, 0L);
        try (InputStream in = Files.newInputStream(shard)) {
          in.skipNBytes(from);
          int n;
          while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
              if (buffer[i] == '\n') {
                lines++;
              }
            }
            from += n;
          }
        }
        read.put(shard, from);
      }
      return lines;
    }
  }
}
