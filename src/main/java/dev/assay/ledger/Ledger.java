package dev.assay.ledger;

import dev.assay.io.Json;
import dev.assay.io.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The resume cache: completed requests stored under their content hash in a run's {@code ledger/} folder.
 *
 * <p>Layout: each writer (one per JVM per folder) appends to its own shard {@code ledger/<host>-<pid>-<uuid>.jsonl},
 * one {@link LedgerEntry} per line, flushed to the operating system after every line, so a {@code kill -9} loses at
 * most the line being written. Opening reads every shard; a torn last line (the process died mid-write) is skipped
 * and counted, never fatal. Because shards are never shared between writers, several workers of a distributed
 * runner can use one ledger folder on a shared file system without locking; each sees the entries that existed
 * when it opened the ledger plus its own.
 *
 * <p>{@link #open(Path)} returns one instance per folder per JVM, so all DoFn instances of a worker share the index
 * and the shard. That instance outlives a job on a worker that is not this process (a Flink TaskManager with Assay's
 * jar on its own classpath keeps its statics from job to job), so the driver starts a <em>session</em> before each
 * pipeline ({@link #beginSession}): a small {@value #SESSION_FILE} file in the folder with a fresh id. An instance
 * opened under another session id rereads the shards that grew since, when every shard it knew is still there (the
 * same ledger, appended to by other workers or other runs), and is otherwise dropped and the folder read again, so a
 * worker never answers from entries of a ledger that was since deleted ({@code --overwrite}), and sees what other
 * workers recorded in earlier pipelines (a resume). The instance is safe for concurrent use, and it knows which keys
 * are being sent right now, so identical requests from several DoFn instances at once go out once
 * ({@link LedgeredChat}).
 *
 * <p>Shared across runs ({@code --ledger DIR}): keys are content hashes, so runs in any folder, in any number of
 * processes, can use one folder at once. Another process's shard is read up to its size when read (its last line may
 * be in the writing: skipped as torn until the next reading). Two processes that send one key at the same moment
 * both append; shards are read in name order, so every reader keeps the same of the two answers. Only answers are
 * appended ({@link LedgeredCall}), never failures.
 *
 * <p>Memory: the index holds each key and where its line is (shard, offset, length), not the entry; {@link #lookup}
 * reads the line back. An entry carries the whole rendered request and the response, about 2.7 KB each in {@code
 * assay bench io}, so holding them made the ledger the largest live object of a sampling run (240 MB at 87,000
 * requests) and would not fit a run of a million model calls in a 2 GB heap; a key and its place take about 170 bytes.
 *
 * <p>Failure modes: an unreadable folder, an I/O error on append, or a recorded line that can no longer be read is an
 * {@link UncheckedIOException} (the run must stop: continuing would send requests it cannot record, or answer from
 * a ledger that changed under it).
 */
public final class Ledger {
  /** The session marker's name; not a shard (shards end in {@code .jsonl}). */
  public static final String SESSION_FILE = "session";

  private static final Map<Path, Ledger> OPEN = new ConcurrentHashMap<>();

  private final Path dir;
  /** The session this instance last read the folder in; see {@link #open}. */
  private volatile String session;
  private final Map<String, Location> index = new ConcurrentHashMap<>();
  /** Shards opened for reading entries back, by path; closed with the instance. */
  private final Map<Path, FileChannel> readers = new ConcurrentHashMap<>();
  /** Torn lines per shard at its last reading (a shard read again replaces its count). */
  private final Map<Path, Long> tornLines = new ConcurrentHashMap<>();
  /** Each other writer's shard and its size when it was last read, so a refresh reads only shards that grew. */
  private final Map<Path, Long> readSizes = new ConcurrentHashMap<>();
  private final AtomicLong appended = new AtomicLong();
  /** Requests being sent now, by key: an identical request arriving meanwhile waits for this one's answer. */
  private final Map<String, CompletableFuture<?>> sending = new ConcurrentHashMap<>();
  private OutputStream shard; // guarded by this; opened on first append so read-only use writes nothing
  private Path shardPath; // guarded by this
  private long shardBytes; // guarded by this: where the next appended line starts

  /** Where a recorded entry's line is: its shard, the offset of its first byte and its length in bytes. */
  private record Location(Path shard, long offset, int length) {}

  private Ledger(Path dir, String session) {
    this.dir = dir;
    this.session = session;
  }

  /**
   * The JVM's ledger for {@code dir}, created (folder included) and loaded on first use, and loaded again when the
   * folder's session changed since (see {@link #beginSession}).
   *
   * @throws UncheckedIOException when the folder or its session marker cannot be read
   */
  public static Ledger open(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    String session = readSession(key);
    Ledger current = OPEN.get(key);
    if (current != null && current.session.equals(session)) {
      return current; // the common case, without the lock compute() takes
    }
    return OPEN.compute(
        key,
        (k, old) -> {
          if (old != null && old.session.equals(session)) {
            return old;
          }
          if (old != null && old.refresh(session)) {
            return old; // the same ledger, grown (a ledger shared across runs): keep serving DoFns that hold it
          }
          if (old != null) {
            old.closeShard(); // its entries may belong to a deleted ledger: never answer from them again
          }
          Ledger ledger = new Ledger(k, session);
          ledger.load();
          return ledger;
        });
  }

  /**
   * Starts a new session of the ledger in {@code dir} (creating the folder): writes a fresh id into its
   * {@value #SESSION_FILE} file, so that every JVM, the workers of a distributed runner included, drops the instance
   * it holds and reads the folder again the next time a DoFn opens it. Call on the driver before each pipeline that
   * uses the ledger, and never while one runs. It does not close this JVM's instance: {@link #release} does.
   *
   * @throws UncheckedIOException when the marker cannot be written
   */
  public static void beginSession(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(key);
      // Written beside and moved into place, so a worker never reads half an id.
      Path tmp = Files.createTempFile(key, SESSION_FILE, ".tmp");
      Files.writeString(tmp, UUID.randomUUID().toString(), StandardCharsets.UTF_8);
      Files.move(tmp, key.resolve(SESSION_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a session of ledger " + key, e);
    }
  }

  private static String readSession(Path dir) {
    Path marker = dir.resolve(SESSION_FILE);
    try {
      return Files.readString(marker, StandardCharsets.UTF_8).strip();
    } catch (java.nio.file.NoSuchFileException e) {
      return ""; // a ledger used outside a run (tests, tools): one session for as long as the JVM keeps it
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ledger session " + marker, e);
    }
  }

  /**
   * Forgets the JVM's instance for {@code dir} (closing its shard), so the next {@link #open} reads the folder
   * again. Used between runs in one JVM (tests, the demo's iterations).
   */
  public static void release(Path dir) {
    Ledger ledger = OPEN.remove(dir.toAbsolutePath().normalize());
    if (ledger != null) {
      ledger.closeShard();
    }
  }

  private void load() {
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, "*.jsonl")) {
        for (Path shardFile : sorted(shards)) {
          loadShard(shardFile);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ledger " + dir, e);
    }
  }

  /**
   * Reads what other writers added since this instance read the folder, when the folder is still the one it read:
   * every shard it indexed is still there (a ledger shared across runs, which is only ever appended to). Returns
   * false, changing nothing, when one is gone (the folder was deleted and started again: {@code --overwrite}).
   */
  private boolean refresh(String newSession) {
    Set<Path> known = new HashSet<>(readSizes.keySet());
    synchronized (this) {
      if (shardPath != null) {
        known.add(shardPath);
      }
    }
    for (Path shardFile : known) {
      if (!Files.exists(shardFile)) {
        return false;
      }
    }
    try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, "*.jsonl")) {
      for (Path shardFile : sorted(shards)) {
        Long readSize = readSizes.get(shardFile);
        if (!isOwnShard(shardFile) && (readSize == null || Files.size(shardFile) != readSize)) {
          loadShard(shardFile);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ledger " + dir, e);
    }
    session = newSession;
    return true;
  }

  private synchronized boolean isOwnShard(Path file) {
    return file.equals(shardPath);
  }

  /** Shards in name order, so that of two answers to one key (two processes sent it at once) every reader keeps the same. */
  private static List<Path> sorted(DirectoryStream<Path> shards) {
    List<Path> files = new ArrayList<>();
    shards.forEach(files::add);
    files.sort(null);
    return files;
  }

  /**
   * Indexes every complete line of one shard by its entry's key, with the line's byte offset; keys already indexed
   * keep their place (first answer wins). Reading a shard again (a refresh) re-counts its torn lines: the last line
   * of a writer that is still running may be complete by then.
   */
  private void loadShard(Path file) throws IOException {
    long size = Files.size(file);
    long torn = 0;
    try (InputStream in = Files.newInputStream(file)) {
      LineReader lines = LineReader.of(in);
      for (long offset = lines.position(); ; offset = lines.position()) {
        if (offset >= size) {
          break; // what a live writer appended after the size was taken is read by the next refresh
        }
        byte[] line = lines.next();
        if (line == null) {
          break;
        }
        if (LineReader.isBlank(line, lines.length())) {
          continue;
        }
        try {
          LedgerEntry entry = Json.mapper().readValue(line, 0, lines.length(), LedgerEntry.class);
          index.putIfAbsent(entry.key(), new Location(file, offset, lines.length()));
        } catch (IOException e) {
          // A torn line from a killed writer (the last, without its newline), or one a live writer is still
          // writing: the request it recorded is sent again.
          torn++;
        }
      }
    }
    tornLines.put(file, torn);
    readSizes.put(file, size);
  }

  /**
   * The completed entry for {@code key}, if any, read back from its shard.
   *
   * @throws UncheckedIOException when its line can no longer be read as it was recorded
   */
  public Optional<LedgerEntry> lookup(String key) {
    Location at = index.get(key);
    return at == null ? Optional.empty() : Optional.of(read(at));
  }

  private LedgerEntry read(Location at) {
    try {
      return Json.mapper().readValue(readLine(at, true), LedgerEntry.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read back a ledger entry from " + at.shard(), e);
    }
  }

  private byte[] readLine(Location at, boolean retry) throws IOException {
    FileChannel channel = readers.computeIfAbsent(at.shard(), Ledger::openForReading);
    ByteBuffer bytes = ByteBuffer.allocate(at.length());
    try {
      while (bytes.hasRemaining()) {
        if (channel.read(bytes, at.offset() + bytes.position()) < 0) {
          throw new IOException("ledger shard " + at.shard() + " ends before the entry at byte " + at.offset());
        }
      }
    } catch (java.nio.channels.ClosedChannelException e) {
      // An interrupt during another thread's read closes a shared channel for every thread: open it again, once.
      readers.remove(at.shard(), channel);
      if (!retry || Thread.currentThread().isInterrupted()) {
        throw e;
      }
      return readLine(at, false);
    }
    return bytes.array();
  }

  private static FileChannel openForReading(Path shard) {
    try {
      return FileChannel.open(shard, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open ledger shard " + shard, e);
    }
  }

  /**
   * Records a completed request; a key already present is left as it was (first answer wins).
   *
   * @throws UncheckedIOException when the line cannot be written
   */
  public void append(LedgerEntry entry) {
    if (index.containsKey(entry.key())) {
      return;
    }
    byte[] line = (Json.line(entry) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      if (index.containsKey(entry.key())) {
        return;
      }
      try {
        if (shard == null) {
          shardPath = dir.resolve(shardName());
          shard = Files.newOutputStream(shardPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          shardBytes = 0;
        }
        shard.write(line);
        shard.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append to ledger " + dir, e);
      }
      // Indexed once written, so a lookup never finds a line that is not there yet.
      index.put(entry.key(), new Location(shardPath, shardBytes, line.length - 1));
      shardBytes += line.length;
    }
    appended.incrementAndGet();
  }

  /**
   * Claims the sending of {@code key} for {@code answer}; returns null when the caller now holds the claim (and must
   * send), or else the answer future of the identical request already being sent. Used by {@link LedgeredCall} only.
   */
  @SuppressWarnings("unchecked") // one key is one API, so everything claimed under it has the same answer type
  <T> CompletableFuture<T> claim(String key, CompletableFuture<T> answer) {
    return (CompletableFuture<T>) sending.putIfAbsent(key, answer);
  }

  /** Ends a claim made by {@link #claim}, after its answer is recorded (or failed). */
  void unclaim(String key, CompletableFuture<?> answer) {
    sending.remove(key, answer);
  }

  /** Entries known to this instance (loaded plus appended). */
  public int size() {
    return index.size();
  }

  /** Lines skipped at load because a writer died mid-line. */
  public long tornLines() {
    return tornLines.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Entries this instance appended since it was opened. */
  public long appended() {
    return appended.get();
  }

  public Path dir() {
    return dir;
  }

  private synchronized void closeShard() {
    IOException first = null;
    for (FileChannel channel : readers.values()) {
      try {
        channel.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    readers.clear();
    if (shard != null) {
      try {
        shard.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
      shard = null;
    }
    if (first != null) {
      throw new UncheckedIOException("cannot close ledger shard in " + dir, first);
    }
  }

  private static String shardName() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (IOException e) {
      host = "host";
    }
    return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID() + ".jsonl";
  }

  @Override
  public String toString() {
    return "Ledger[" + dir + ", " + index.size() + " entries]";
  }

}
