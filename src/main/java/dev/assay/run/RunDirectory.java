package dev.assay.run;

import dev.assay.grouping.SortedLines;
import dev.assay.io.Folders;
import dev.assay.io.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The folder of one run (one iteration): {@code manifest.json}, {@code ledger/}, stage outputs, {@code rejected/},
 * {@code failures/}, {@code export/}, as laid out in DESIGN section 3.
 *
 * <p>Stage outputs are written by the pipeline into {@code .work/} as runner-chosen shards, then
 * {@link #publish published} as one file per output with lines sorted, so a rerun or a resume gives byte-identical
 * files whatever the runner's sharding and ordering. Publishing replaces the file atomically. The ledger is never
 * removed by {@link #prepare}: it is what makes a rerun free.
 */
public final class RunDirectory {
  public static final String MANIFEST = "manifest.json";

  /**
   * Characters of lines {@link #publish} sorts in memory before it spills a sorted run to disk: about 64 MB of
   * strings, a few times that with the list around them, well inside a 2 GB heap.
   */
  public static final long SORT_RUN_CHARS = 32L << 20;

  private final Path root;
  private final long sortRunChars;
  /** A ledger shared across runs, or null for the run's own {@code ledger/}. */
  private final Path sharedLedger;

  public RunDirectory(Path root) {
    this(root, SORT_RUN_CHARS);
  }

  /**
   * A run directory whose model calls go through {@code sharedLedger}, a ledger folder other runs use too, instead of
   * its own {@code ledger/}; null means its own.
   */
  public RunDirectory(Path root, Path sharedLedger) {
    this(root, SORT_RUN_CHARS, sharedLedger);
  }

  /** A run directory whose {@link #publish} spills sorted runs every {@code sortRunChars} characters (tests). */
  RunDirectory(Path root, long sortRunChars) {
    this(root, sortRunChars, null);
  }

  private RunDirectory(Path root, long sortRunChars, Path sharedLedger) {
    this.root = root.toAbsolutePath().normalize();
    this.sharedLedger = sharedLedger == null ? null : sharedLedger.toAbsolutePath().normalize();
    if (sortRunChars < 1) {
      throw new IllegalArgumentException("sortRunChars must be positive");
    }
    this.sortRunChars = sortRunChars;
  }

  public Path root() {
    return root;
  }

  public Path manifest() {
    return root.resolve(MANIFEST);
  }

  /** The ledger the run's model calls go through: the shared one when set, else {@link #ownLedger()}. */
  public Path ledger() {
    return sharedLedger != null ? sharedLedger : ownLedger();
  }

  /** The run's own {@code ledger/} folder (what {@code --overwrite} deletes; a shared ledger is never deleted). */
  public Path ownLedger() {
    return root.resolve("ledger");
  }

  /** Whether the run uses a ledger shared across runs. */
  public boolean sharesLedger() {
    return sharedLedger != null;
  }

  public Path work() {
    return root.resolve(".work");
  }

  /** A published output file, e.g. {@code output("judgments", "judgments.jsonl")}. */
  public Path output(String folder, String file) {
    return root.resolve(folder).resolve(file);
  }

  /** Whether a finished manifest is present (complete, or complete with a missed gate). */
  public boolean finished() {
    if (!Files.exists(manifest())) {
      return false;
    }
    try {
      String status = Json.mapper().readTree(manifest().toFile()).path("status").asText();
      return "complete".equals(status) || "gate_failed".equals(status);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The run id the manifest in this folder records, if there is a readable one. A resumed run keeps it: pairs and SFT
   * examples carry the run id on every line, so a fresh id per invocation would make a resume rewrite them all.
   */
  public java.util.Optional<String> recordedRunId() {
    if (!Files.exists(manifest())) {
      return java.util.Optional.empty();
    }
    try {
      String id = Json.mapper().readTree(manifest().toFile()).path("run_id").asText("");
      return id.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(id);
    } catch (IOException e) {
      // A manifest cut off by a crash mid-write cannot name the run; the resume then starts a new id.
      return java.util.Optional.empty();
    }
  }

  /** Creates the folder and clears any earlier scratch shards; stage outputs are rewritten by the run. */
  public void prepare() {
    try {
      Files.createDirectories(root);
      Files.createDirectories(ledger());
      Folders.deleteRecursively(work());
      Files.createDirectories(work());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare run directory " + root, e);
    }
  }

  /**
   * Removes every stage output but keeps the ledger (used when a finished run is deliberately redone) and the
   * {@link RunLock}'s files, which the process clearing the folder holds.
   */
  public void clearOutputs() {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.equals("ledger") && !name.equals(RunLock.FILE) && !name.equals(RunLock.MUTEX)) {
          Folders.deleteRecursively(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + root, e);
    }
  }

  /** The scratch prefix the pipeline writes {@code name}'s shards under. */
  public String shardPrefix(String name) {
    return work().resolve(name).resolve("part").toString();
  }

  /**
   * Merges the shards written under {@link #shardPrefix(String) shardPrefix(name)} into {@code folder/file}, lines
   * sorted, written to a temporary file and moved into place. Returns the number of lines.
   *
   * <p>Shards written sorted (as {@code WriteSortedJsonl} writes them) are only merged, in one streaming pass. Otherwise
   * lines are sorted in runs of at most {@link #SORT_RUN_CHARS} characters, runs that do not fit are spilled to
   * sorted files under {@code .work/}, and the runs are merged. Memory is bounded either way, whatever the size.
   * The order is {@link String#compareTo}, so the bytes do not depend on the path taken or how many runs there were.
   *
   * @throws UncheckedIOException when a shard cannot be read or the output cannot be written
   */
  public long publish(String name, String folder, String file) {
    Path shardDir = work().resolve(name);
    Path target = output(folder, file);
    Path tmp = target.resolveSibling(file + ".tmp");
    try {
      List<Path> shards = List.of();
      if (Files.isDirectory(shardDir)) {
        try (Stream<Path> listed = Files.list(shardDir)) {
          shards = listed.filter(Files::isRegularFile).sorted().toList();
        }
      }
      Files.createDirectories(target.getParent());
      long n = SortedLines.merge(shards, tmp, work().resolve(".sort-" + name), sortRunChars).lines();
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + name + " into " + folder + "/" + file, e);
    }
  }

  /** One output to publish: the shards under {@code name} into {@code folder/file}. */
  public record Publication(String name, String folder, String file) {
    /** {@code folder/file}, the published file relative to the run directory. */
    public String path() {
      return folder + "/" + file;
    }
  }

  /**
   * Publishes several outputs at once, each as {@link #publish} does, on up to one thread per core: each merge is
   * single-threaded and the outputs are independent, so the driver's wait after a pipeline shrinks with the cores.
   * Memory: up to that many sorts at a time, each bounded as in {@link #publish}. Returns the line count by name.
   *
   * @throws UncheckedIOException the first failure, after every other publication has finished
   */
  public Map<String, Long> publishAll(List<Publication> outputs) {
    Map<String, Long> counts = new ConcurrentHashMap<>();
    int threads = Math.max(1, Math.min(outputs.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "assay-publish");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Publication o : outputs) {
        done.add(pool.submit(() -> counts.put(o.name(), publish(o.name(), o.folder(), o.file()))));
      }
      RuntimeException first = null;
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while publishing", e);
        }
      }
      if (first != null) {
        throw first;
      }
      return counts;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Reads a published output back as records ({@code folder/file}, one JSON per line); empty when the stage wrote
   * nothing. These are Assay's own files, so a line that does not parse is a bug, not bad input. Holds the whole
   * file: for outputs that grow with the input (judgments, rewards, pairs) prefer {@link #forEach} or {@link #count}.
   */
  public <T> List<T> read(String folder, String file, Class<T> type) {
    List<T> out = new ArrayList<>();
    forEach(folder, file, type, out::add);
    return out;
  }

  /**
   * Streams a published output's records to {@code sink} one line at a time, in file order; nothing when the stage
   * wrote nothing. Memory does not grow with the file.
   *
   * @throws UncheckedIOException when the file cannot be read
   */
  public <T> void forEach(String folder, String file, Class<T> type, Consumer<? super T> sink) {
    Path path = output(folder, file);
    if (!Files.exists(path)) {
      return;
    }
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isEmpty()) {
          sink.accept(Json.parse(line, type));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** The number of records in a published output, 0 when the stage wrote nothing; reads without parsing. */
  public long count(String folder, String file) {
    Path path = output(folder, file);
    if (!Files.exists(path)) {
      return 0;
    }
    long n = 0;
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n += line.isEmpty() ? 0 : 1;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return n;
  }

  /** Writes the manifest atomically. */
  public void writeManifest(RunManifest manifest) {
    try {
      Files.createDirectories(root);
      Path tmp = root.resolve(MANIFEST + ".tmp");
      Files.writeString(tmp, Json.pretty(manifest), StandardCharsets.UTF_8);
      Files.move(tmp, manifest(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write manifest in " + root, e);
    }
  }

  /**
   * Writes records the driver read and checked (the run's inputs, a second pass's candidates) as JSONL under
   * {@code .work/inputs/}, for the pipeline to read with {@link dev.assay.grouping.ReadJsonl}. Returns the file's path.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public String stage(String name, Iterable<?> records) {
    Path file = work().resolve("inputs").resolve(name + ".jsonl");
    try {
      Files.createDirectories(file.getParent());
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Object record : records) {
          w.write(Json.line(record));
          w.write('\n');
        }
      }
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage " + name + " in " + file.getParent(), e);
    }
  }

  /**
   * Moves a file the driver staged elsewhere (before this folder was prepared) to {@code .work/inputs/name.jsonl},
   * for the pipeline to read with {@link dev.assay.grouping.ReadJsonl}; returns the new path. On a cluster the workers
   * read it there, on the run's shared file system.
   *
   * @throws UncheckedIOException when the file cannot be moved
   */
  public String adopt(String name, Path staged) {
    Path file = work().resolve("inputs").resolve(name + ".jsonl");
    try {
      Files.createDirectories(file.getParent());
      Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING);
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + staged + " into " + file.getParent(), e);
    }
  }

  /** Removes the scratch folder after a successful publish. */
  public void cleanWork() {
    try {
      Folders.deleteRecursively(work());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + work(), e);
    }
  }
}
