package dev.assay.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One reading of another process's resources from Linux's {@code /proc}: resident set (now and peak), threads, open
 * file descriptors and its established TCP connections, so a benchmark can state what a client holds while it runs
 * rather than only at the end.
 *
 * <p>Established connections are the process's own: the socket inodes among its descriptors, looked up in
 * {@code /proc/PID/net/tcp} and {@code tcp6} (state 01). Every field is -1 where {@code /proc} lacks it (not Linux, or
 * the process has ended); {@link #of} never throws for a missing process.
 *
 * @param rssMb resident set now (VmRSS), MiB
 * @param peakRssMb peak resident set so far (VmHWM), MiB
 * @param threads the process's threads
 * @param fds open file descriptors
 * @param established established TCP connections among them
 */
public record ProcessSample(long rssMb, long peakRssMb, long threads, long fds, long established) {
  /** No reading: every field -1. */
  public static final ProcessSample NONE = new ProcessSample(-1, -1, -1, -1, -1);

  private static final String SOCKET = "socket:[";
  private static final String ESTABLISHED = "01";

  /** Reads process {@code pid} now; all -1 when it is gone or {@code /proc} is absent. */
  public static ProcessSample of(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    long rss = -1;
    long hwm = -1;
    long threads = -1;
    try {
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kibToMib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kibToMib(line);
        } else if (line.startsWith("Threads:")) {
          threads = Long.parseLong(line.substring("Threads:".length()).strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return NONE;
    }
    long fds = 0;
    Set<String> sockets = new HashSet<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : dir) {
        fds++;
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith(SOCKET)) {
            sockets.add(target.substring(SOCKET.length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // A descriptor closed between the listing and the read: not open any more, so not counted as a socket.
        }
      }
    } catch (IOException e) {
      return new ProcessSample(rss, hwm, threads, -1, -1);
    }
    long established = 0;
    for (String table : List.of("tcp", "tcp6")) {
      established += establishedAmong(proc.resolve("net").resolve(table), sockets);
    }
    return new ProcessSample(rss, hwm, threads, fds, established);
  }

  /** Each field the larger of this reading's and {@code other}'s: folded over readings, the peaks of a run. */
  public ProcessSample max(ProcessSample other) {
    return new ProcessSample(Math.max(rssMb, other.rssMb), Math.max(peakRssMb, other.peakRssMb),
        Math.max(threads, other.threads), Math.max(fds, other.fds), Math.max(established, other.established));
  }

  /** The peaks over {@code readings}; {@link #NONE} for none. */
  public static ProcessSample peaks(java.util.Collection<ProcessSample> readings) {
    return readings.stream().reduce(NONE, ProcessSample::max);
  }

  /** Rows of a {@code /proc/net/tcp}-format table in state ESTABLISHED whose inode is in {@code inodes}. */
  static long establishedAmong(Path table, Set<String> inodes) {
    if (inodes.isEmpty()) {
      return 0;
    }
    long n = 0;
    try (var lines = Files.lines(table)) {
      for (String line : (Iterable<String>) lines.skip(1)::iterator) {
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
        String[] f = line.strip().split("\\s+");
        if (f.length > 9 && f[3].equals(ESTABLISHED) && inodes.contains(f[9])) {
          n++;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return n;
  }

  private static long kibToMib(String statusLine) {
    return Long.parseLong(statusLine.replaceAll("[^0-9]", "")) / 1024;
  }
}
