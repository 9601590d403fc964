package dev.assay.run;

import dev.assay.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock that keeps two processes out of one run directory: while a run uses the folder, {@value #FILE} names the
 * holder (host, pid, when the process and the run started, the command), and an operating-system lock is held on
 * {@value #MUTEX} beside it.
 *
 * <p>Two signals, because each misses a case the other catches:
 *
 * <ul>
 *   <li>The OS lock ({@link FileChannel#tryLock()}) is released by the kernel when its process dies, SIGKILL
 *       included, and taking it is atomic, so two processes racing for a stale folder cannot both win. It says
 *       nothing useful across hosts: network file systems may not propagate it.
 *   <li>The holder file lets a refused process name who holds the folder, and lets a process judge a lock the OS
 *       lock cannot: on the same host, a holder whose pid is gone, or is now another process (its start time
 *       differs), is dead and its lock is taken over with a notice; a holder that is alive is never overridden, even
 *       where the file system's OS locks are no-ops. A holder on another host cannot be checked from here, so
 *       taking it over needs {@code breakLock} ({@code --break-lock}).
 * </ul>
 *
 * <p>The holder file is written to a temporary file and then linked (or moved) into place, so a reader sees a whole
 * file or none. Closing the lock deletes the holder file and releases the OS lock; the mutex file stays (deleting a
 * file others may be waiting to lock would let two of them lock different files). A JVM holds a folder once: a
 * second acquisition in the same JVM is refused like another process's.
 *
 * <p>Failure modes: {@link HeldException} when the folder is in use (the message names the holder and what to do);
 * {@link UncheckedIOException} when the folder or the lock files cannot be created or written.
 */
public final class RunLock implements AutoCloseable {
  /** The holder file, JSON: {@code host}, {@code pid}, {@code process_started_at}, {@code started_at}, {@code command}. */
  public static final String FILE = "run.lock";

  /** The file the OS lock is taken on; kept between runs. */
  public static final String MUTEX = ".run.lock.mutex";

  /** What {@link #readHolder} returns for a holder file that exists but does not parse (foreign or damaged). */
  private static final Holder UNREADABLE = new Holder("", -1, null, null, "");

  /**
   * Folders this JVM holds, by file identity (device and inode where the platform has them), so that one reached
   * through a symlink is the same folder. Needed because OS locks are per process: a second tryLock in this JVM
   * throws rather than fails, and closing a second channel on the mutex file would release the first one's lock.
   */
  private static final Set<Object> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path root;
  private final Object identity;
  private final FileChannel channel;
  private final FileLock osLock;
  private final Holder holder;
  private boolean closed;

  /**
   * Who holds (or held) a run directory.
   *
   * @param host the host name of the holder's machine
   * @param pid the holder's process id
   * @param processStartedAt when the holder process started (ISO-8601), to tell a live holder from a new process that
   *     reuses a dead one's pid; null where the platform does not say
   * @param startedAt when the holder took the lock (ISO-8601)
   * @param command the holder's command line as the run records it, may be empty
   */
  public record Holder(String host, long pid, String processStartedAt, String startedAt, String command) {
    public Holder {
      Objects.requireNonNull(host, "host");
      command = command == null ? "" : command;
    }

    /** "pid P on host H since T (command)", as messages show it. */
    public String describe() {
      return "pid " + pid + " on host " + host + (startedAt == null ? "" : " since " + startedAt)
          + (command.isBlank() ? "" : " (" + command + ")");
    }
  }

  /** The run directory is in use by another process (or by another run in this JVM). The CLI exits 2. */
  public static final class HeldException extends RuntimeException {
    private final transient Holder holder;

    HeldException(String message, Holder holder) {
      super(message);
      this.holder = holder;
    }

    /** The holder, or null when the folder is OS-locked but its holder file cannot be read yet. */
    public Holder holder() {
      return holder;
    }
  }

  private RunLock(Path root, Object identity, FileChannel channel, FileLock osLock, Holder holder) {
    this.root = root;
    this.identity = identity;
    this.channel = channel;
    this.osLock = osLock;
    this.holder = holder;
  }

  /**
   * Locks {@code dir} for this process, creating the folder.
   *
   * @param command recorded in the holder file so a refused process can say what holds the folder
   * @param breakLock take over a lock held from another host (whose liveness cannot be checked from here)
   * @param notices where taking over a stale or foreign lock is said (standard error for the CLI)
   * @throws HeldException when a live process holds the folder, or a process on another host and not {@code breakLock}
   * @throws UncheckedIOException when the folder or the lock files cannot be created or written
   */
  public static RunLock acquire(Path dir, String command, boolean breakLock, PrintStream notices) {
    Path root = dir.toAbsolutePath().normalize();
    Holder me = current(command);
    Object identity;
    try {
      Files.createDirectories(root);
      identity = identity(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + root, e);
    }
    if (!HELD_HERE.add(identity)) {
      throw new HeldException(
          root + " is in use by another run in this process (" + me.describe() + "); wait for it to finish", me);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(root.resolve(MUTEX), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock osLock = channel.tryLock();
      if (osLock == null) {
        Holder other = readHolderWaiting(root);
        throw new HeldException(inUse(root, other), other);
      }
      Optional<Holder> previous = readHolder(root);
      if (previous.isPresent()) {
        judge(root, previous.get(), me, breakLock, notices);
      }
      publish(root, me, previous.isPresent());
      return new RunLock(root, identity, channel, osLock, me);
    } catch (IOException e) {
      closeQuietly(channel);
      HELD_HERE.remove(identity);
      throw new UncheckedIOException("cannot lock run directory " + root, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      HELD_HERE.remove(identity);
      throw e;
    }
  }

  /** The folder's file key (device and inode on Unix), or its real path where the platform has none. */
  private static Object identity(Path root) throws IOException {
    Object key = Files.readAttributes(root, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    return key != null ? key : root.toRealPath();
  }

  /** The holder this lock recorded. */
  public Holder holder() {
    return holder;
  }

  /** Deletes the holder file (if it is still ours) and releases the OS lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // Only our own record: after a --break-lock elsewhere the file may name someone else now.
      if (readHolder(root).filter(h -> h.equals(holder)).isPresent()) {
        Files.deleteIfExists(root.resolve(FILE));
      }
    } catch (IOException | UncheckedIOException e) {
      // The folder may be gone (a test's temp dir, a user's rm): nothing left to release there.
    } finally {
      try {
        osLock.release();
      } catch (IOException e) {
        // A closed channel released it already.
      }
      closeQuietly(channel);
      HELD_HERE.remove(identity);
    }
  }

  /** Decides whether a holder file left in the folder may be replaced, given that the OS lock was free. */
  private static void judge(Path root, Holder previous, Holder me, boolean breakLock, PrintStream notices) {
    if (previous == UNREADABLE) {
      // Holder files are written whole, so this is not a live holder's: it names no one, and the OS lock was free.
      notices.println("assay: replacing an unreadable " + FILE + " in " + root);
      return;
    }
    if (!previous.host().equals(me.host())) {
      if (!breakLock) {
        throw new HeldException(
            inUse(root, previous)
                + ". A process on another host cannot be checked from here: if it is no longer running, rerun with"
                + " --break-lock",
            previous);
      }
      notices.println("assay: breaking the lock of " + previous.describe() + " on " + root + " (--break-lock)");
      return;
    }
    if (alive(previous)) {
      // The OS lock was free although the holder lives: a file system without working locks. Trust the pid.
      throw new HeldException(inUse(root, previous), previous);
    }
    notices.println(
        "assay: taking over the stale lock of " + previous.describe() + " on " + root + ": that process is no longer"
            + " running");
  }

  private static String inUse(Path root, Holder holder) {
    String who =
        holder == null
            ? "another process (it is starting: its " + FILE + " is not written yet)"
            : holder == UNREADABLE ? "another process (its " + FILE + " cannot be read)" : holder.describe();
    return root + " is in use by " + who
        + "; two processes on one run directory would overwrite each other's files";
  }

  /** Whether a same-host holder is still running: its pid exists and, where known, started when the holder did. */
  static boolean alive(Holder h) {
    Optional<ProcessHandle> process = ProcessHandle.of(h.pid());
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    if (h.processStartedAt() == null) {
      return true;
    }
    // A pid is reused once its process is gone: the start time tells the holder from a newcomer.
    return process.get().info().startInstant()
        .map(s -> s.truncatedTo(ChronoUnit.SECONDS).toString().equals(h.processStartedAt()))
        .orElse(true);
  }

  private static Holder current(String command) {
    ProcessHandle self = ProcessHandle.current();
    String processStart = self.info().startInstant().map(s -> s.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null);
    return new Holder(hostName(), self.pid(), processStart, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), command);
  }

  /** This machine's name, as the holder file records it and as another process on this machine will read it. */
  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown-host" : env;
    }
  }

  /** Writes the holder file whole: a temporary file linked into place (moved, when replacing a stale one). */
  private static void publish(Path root, Holder me, boolean replacing) throws IOException {
    Path target = root.resolve(FILE);
    Path tmp = root.resolve(FILE + "." + me.pid() + ".tmp");
    Files.writeString(tmp, Json.line(me) + "\n", StandardCharsets.UTF_8);
    try {
      if (replacing) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      try {
        // link() fails if the name exists: where OS locks do not work across hosts, two newcomers cannot both win.
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException raced) {
        Holder other = readHolder(root).orElse(null);
        throw new HeldException(inUse(root, other), other);
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
        // No hard links here (FAT, some network shares): a rename still puts the file in place whole.
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Optional<Holder> readHolder(Path root) {
    Path file = root.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.parse(Files.readString(file, StandardCharsets.UTF_8).strip(), Holder.class));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.of(UNREADABLE);
    }
  }

  /** The holder of an OS-locked folder: it writes its file right after locking, so wait a moment for it. */
  private static Holder readHolderWaiting(Path root) {
    for (int i = 0; i < 20; i++) {
      Optional<Holder> h = readHolder(root);
      if (h.isPresent()) {
        return h.get();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return null;
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Closing releases the OS lock; there is nothing else to undo.
    }
  }
}
