package dev.assay.grouping;

import dev.assay.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Writes one prompt shard's records of several outputs as JSONL ({@link Json#line}), each output into a file whose
 * name depends only on the shard: {@code <root>/<output>/shard-SSSSS-of-NNNNN.jsonl}, the layout {@code
 * RunDirectory.publish} merges. Lines go to a temporary file under {@code <root>/<output>/.tmp/} and every file is
 * moved into place when the shard is {@link #commit committed}.
 *
 * <p>Why a transform may write its own files: a step that computes a shard's outputs in one pass would otherwise hand
 * every record to a sink, and the runner would serialize each one between steps (on Flink, through the union of a
 * multi-output step's outputs) before a second step writes it. Because a shard's outputs are a pure function of its
 * inputs and the name depends only on the shard, a retried or duplicated attempt writes the same bytes to the same
 * name: the move makes the last one win, and a failed attempt leaves only a temporary file that publishing ignores.
 * The root must be a folder every worker writes to (the run directory, as for the ledger).
 *
 * <p><b>Sorted files.</b> Lines are held until the commit and each file is written sorted ({@link String#compareTo},
 * the order {@code RunDirectory.publish} publishes in), so publishing only merges the shards' files in one streaming
 * pass and the sort, the costly part, runs on the workers in parallel instead of on the driver after the pipeline.
 * Memory: at most {@link #budgetChars()} characters per shard are held (set per instance for tests); a shard
 * whose lines exceed it writes everything, from then on, in the order added, which publishing detects and sorts
 * itself. Either way the published output is the same.
 *
 * <p>Failure modes: {@link UncheckedIOException} when a file cannot be written or moved (the bundle fails and the
 * runner retries or fails the pipeline). Not thread-safe: one instance per shard being processed.
 */
public final class ShardLines implements AutoCloseable {
  /**
   * Characters a shard holds to sort its files: 32 M (as {@code RunDirectory.SORT_RUN_CHARS}), 32-64 MB of heap per
   * shard being processed. A one-shuffle shard of 1M judgments in 16 shards writes about 18 M.
   */
  public static final long SORT_BUDGET_CHARS = 32L << 20;

  private final Path root;
  private final String name;
  private final long budgetChars;
  private final String attempt = UUID.randomUUID().toString();
  private final Map<String, List<String>> held = new LinkedHashMap<>();
  private final Map<String, BufferedWriter> open = new LinkedHashMap<>();
  private final Map<String, Path> temps = new LinkedHashMap<>();
  private long heldChars;
  private boolean streaming;
  private boolean committed;

  private ShardLines(Path root, int shard, int shards, long budgetChars) {
    this.root = root;
    this.name = String.format(Locale.ROOT, "shard-%05d-of-%05d.jsonl", shard, shards);
    this.budgetChars = budgetChars;
  }

  /**
   * @param root the folder holding one subfolder per output (a run directory's {@code .work})
   * @param shard this shard, in {@code [0, shards)}
   */
  public static ShardLines open(String root, int shard, int shards) {
    return open(root, shard, shards, budgetChars());
  }

  /**
   * Characters one shard may hold: {@link #SORT_BUDGET_CHARS}, or less on a worker whose heap per core is small, so
   * that the shards processed at once (one per core) hold at most an eighth of the heap even as UTF-16.
   */
  public static long budgetChars() {
    long perCore = Runtime.getRuntime().maxMemory() / (16L * Runtime.getRuntime().availableProcessors());
    return Math.min(SORT_BUDGET_CHARS, perCore);
  }

  /** As {@link #open(String, int, int)}, holding at most {@code budgetChars} characters to sort (tests cross it). */
  static ShardLines open(String root, int shard, int shards, long budgetChars) {
    if (shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " outside [0, " + shards + ")");
    }
    if (budgetChars < 0) {
      throw new IllegalArgumentException("budgetChars must be >= 0: " + budgetChars);
    }
    return new ShardLines(Path.of(root), shard, shards, budgetChars);
  }

  /** The path {@code output}'s file of this shard has once committed. */
  public Path target(String output) {
    return root.resolve(output).resolve(name);
  }

  /** Appends {@code record} as one JSON line to {@code output}. */
  public void add(String output, Object record) {
    if (committed) {
      throw new IllegalStateException("shard already committed");
    }
    String line = Json.line(record);
    try {
      if (!streaming && heldChars + line.length() > budgetChars) {
        // Over budget: what is held goes out as it came, and so does the rest; publishing sorts these files.
        streaming = true;
        for (Map.Entry<String, List<String>> e : held.entrySet()) {
          writeAll(e.getKey(), e.getValue());
        }
        held.clear();
      }
      if (streaming) {
        BufferedWriter w = writer(output);
        w.write(line);
        w.write('\n');
      } else {
        held.computeIfAbsent(output, o -> new ArrayList<>()).add(line);
        heldChars += line.length();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + output + " lines of " + name, e);
    }
  }

  private void writeAll(String output, List<String> lines) throws IOException {
    BufferedWriter w = writer(output);
    for (String line : lines) {
      w.write(line);
      w.write('\n');
    }
  }

  /** {@code output}'s temporary file, opened on first use. */
  private BufferedWriter writer(String output) throws IOException {
    BufferedWriter w = open.get(output);
    if (w == null) {
      Path tmp = root.resolve(output).resolve(".tmp").resolve(name + "." + attempt);
      Files.createDirectories(tmp.getParent());
      w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
      open.put(output, w);
      temps.put(output, tmp);
    }
    return w;
  }

  /** Writes what is held, sorted, closes every file and moves it into place (an output with no line gets no file). */
  public void commit() {
    committed = true;
    try {
      for (Map.Entry<String, List<String>> e : held.entrySet()) {
        e.getValue().sort(null);
        writeAll(e.getKey(), e.getValue());
      }
      held.clear();
      for (Map.Entry<String, BufferedWriter> e : open.entrySet()) {
        e.getValue().close();
        Files.move(temps.get(e.getKey()), target(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      open.clear();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit the outputs of " + name, e);
    }
  }

  /** Without a commit, closes and deletes the temporary files (an attempt that failed). */
  @Override
  public void close() {
    held.clear();
    if (committed) {
      return;
    }
    for (Map.Entry<String, BufferedWriter> e : open.entrySet()) {
      try {
        e.getValue().close();
        Files.deleteIfExists(temps.get(e.getKey()));
      } catch (IOException ignored) {
        // best effort: a leftover temporary file is ignored by publishing and removed with .work
      }
    }
    open.clear();
  }
}
