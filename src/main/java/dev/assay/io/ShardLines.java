package dev.assay.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
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
 * <p>Failure modes: {@link UncheckedIOException} when a file cannot be written or moved (the bundle fails and the
 * runner retries or fails the pipeline). Not thread-safe: one instance per shard being processed.
 */
public final class ShardLines implements AutoCloseable {
  private final Path root;
  private final String name;
  private final String attempt = UUID.randomUUID().toString();
  private final Map<String, BufferedWriter> open = new LinkedHashMap<>();
  private final Map<String, Path> temps = new LinkedHashMap<>();
  private boolean committed;

  private ShardLines(Path root, int shard, int shards) {
    this.root = root;
    this.name = String.format(Locale.ROOT, "shard-%05d-of-%05d.jsonl", shard, shards);
  }

  /**
   * @param root the folder holding one subfolder per output (a run directory's {@code .work})
   * @param shard this shard, in {@code [0, shards)}
   */
  public static ShardLines open(String root, int shard, int shards) {
    if (shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " outside [0, " + shards + ")");
    }
    return new ShardLines(Path.of(root), shard, shards);
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
    try {
      BufferedWriter w = open.get(output);
      if (w == null) {
        Path tmp = root.resolve(output).resolve(".tmp").resolve(name + "." + attempt);
        Files.createDirectories(tmp.getParent());
        w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        open.put(output, w);
        temps.put(output, tmp);
      }
      w.write(Json.line(record));
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + output + " lines of " + name, e);
    }
  }

  /** Closes every file and moves it into place (an output with no line gets no file). */
  public void commit() {
    committed = true;
    try {
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
