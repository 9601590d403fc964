package dev.assay.grouping;

import dev.assay.io.Folders;
import dev.assay.io.LineReader;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An external merge sort of text lines: what lets {@link RunDirectory#publish} write a sorted output of any size in
 * bounded memory.
 *
 * <p><b>Inputs already sorted</b> (what {@link WriteSortedJsonl} writes) are merged in one streaming pass, at most {@value
 * #FAN_IN} files at a time (more go through sorted intermediate files under the scratch folder), so the driver never
 * sorts what the workers sorted. The merge compares and copies the lines' UTF-8 bytes without decoding them, in the
 * same order as {@link String#compareTo}. Each input's order is checked as it is read; at the first line that is smaller than
 * the line before it in the same input, the merge is abandoned and the lines are sorted as below. An unsorted input
 * is therefore detected after a few lines in practice, at worst after reading it once.
 *
 * <p><b>Otherwise</b> lines are read from the inputs in order and collected until they hold {@code runChars}
 * characters; each such run is sorted ({@link String#compareTo}) and, when more input follows, spilled to a file
 * under the scratch folder, the last run too; the runs are then merged as sorted inputs are. An input that fits one
 * run is never spilled.
 *
 * <p>Either way lines are split as {@link LineReader} splits them (at each newline, a carriage return before it
 * dropped), empty lines are dropped, equal lines are all kept, and the output's bytes are the same. The scratch
 * folder is removed afterwards, also when the sort fails.
 */
public final class SortedLines {
  /** Files merged at once: bounded so that a cluster's thousands of shards do not exhaust file handles. */
  static final int FAN_IN = 128;

  private SortedLines() {}

  /**
   * What a merge wrote.
   *
   * @param lines the lines written
   * @param merged whether every input was sorted, so that they were only merged
   */
  public record Result(long lines, boolean merged) {}

  /**
   * Writes the lines of {@code inputs}, sorted, to {@code out}.
   *
   * @param scratch a folder for spilled runs and intermediate merges (created when needed, deleted afterwards)
   * @param runChars characters sorted in memory at a time
   * @throws IOException when an input, a spilled run or the output cannot be read or written
   */
  public static Result merge(List<Path> inputs, Path out, Path scratch, long runChars) throws IOException {
    try {
      long merged = mergeSorted(inputs, out, scratch, "merge");
      // The sort's files are named run-N and sort-R-N: an abandoned merge's merge-R-N files do not collide.
      return merged >= 0 ? new Result(merged, true) : new Result(sort(inputs, out, scratch, runChars), false);
    } finally {
      Folders.deleteRecursively(scratch);
    }
  }

  /**
   * The streaming merge of sorted inputs, {@value #FAN_IN} at a time through intermediate files named {@code
   * prefix-R-N} in {@code scratch}; -1 when one of them turns out not to be sorted.
   */
  private static long mergeSorted(List<Path> inputs, Path out, Path scratch, String prefix) throws IOException {
    List<Path> level = inputs;
    for (int round = 0; level.size() > FAN_IN; round++) {
      List<Path> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += FAN_IN) {
        Files.createDirectories(scratch);
        Path merged = scratch.resolve(prefix + "-" + round + "-" + next.size());
        if (mergeFiles(level.subList(i, Math.min(level.size(), i + FAN_IN)), merged) < 0) {
          return -1;
        }
        next.add(merged);
      }
      level = next;
    }
    return mergeFiles(level, out);
  }

  private static long sort(List<Path> inputs, Path out, Path scratch, long runChars) throws IOException {
    List<Path> spilled = new ArrayList<>();
    List<String> run = new ArrayList<>();
    long chars = 0;
    long total = 0;
    for (Path input : inputs) {
      try (InputStream in = Files.newInputStream(input)) {
        LineReader r = LineReader.of(in);
        for (byte[] bytes = r.next(); bytes != null; bytes = r.next()) {
          if (r.length() == 0) {
            continue;
          }
          String line = new String(bytes, 0, r.length(), StandardCharsets.UTF_8);
          if (chars + line.length() > runChars && !run.isEmpty()) {
            spilled.add(spill(run, scratch, spilled.size()));
            run.clear();
            chars = 0;
          }
          run.add(line);
          chars += line.length();
          total++;
        }
      }
    }
    if (spilled.isEmpty()) {
      run.sort(null);
      write(run, out);
    } else {
      // The last run is spilled too, so that one merge, the bytes merge above, serves both paths.
      spilled.add(spill(run, scratch, spilled.size()));
      if (mergeSorted(spilled, out, scratch, "sort") < 0) {
        throw new IllegalStateException("a spilled run of " + out + " is out of order: spilled runs are written sorted");
      }
    }
    return total;
  }

  private static Path spill(List<String> run, Path scratch, int index) throws IOException {
    run.sort(null);
    Files.createDirectories(scratch);
    Path file = scratch.resolve("run-" + index);
    write(run, file);
    return file;
  }

  private static void write(List<String> lines, Path out) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
  }

  /**
   * Merges sorted files into {@code out} as bytes; the lines written, or -1 at the first input found out of order.
   * Lines are compared in their UTF-8 bytes in {@link String#compareTo}'s order ({@link #compareAsStrings}) and copied
   * through without being decoded: at 1M judgments decoding and re-encoding was most of the driver's wait after the
   * pipeline. Inputs are UTF-8 as Java writes it (the shards and TextIO files of a run), which decodes and encodes to
   * the same bytes, so the output is the one the sort path writes.
   */
  private static long mergeFiles(List<Path> files, Path out) throws IOException {
    List<LineCursor> open = new ArrayList<>();
    try (OutputStream w = new BufferedOutputStream(Files.newOutputStream(out), BUFFER)) {
      LineCursor[] heap = new LineCursor[files.size()];
      int size = 0;
      for (Path file : files) {
        LineCursor c = new LineCursor(Files.newInputStream(file));
        open.add(c);
        if (c.advance()) {
          heap[size++] = c;
        }
      }
      for (int i = size / 2 - 1; i >= 0; i--) {
        siftDown(heap, size, i);
      }
      long n = 0;
      while (size > 0) {
        LineCursor top = heap[0];
        w.write(top.line, 0, top.length);
        w.write('\n');
        n++;
        if (!top.advance()) {
          heap[0] = heap[--size];
          heap[size] = null;
        }
        siftDown(heap, size, 0);
      }
      return n;
    } catch (OutOfOrder e) {
      return -1;
    } finally {
      for (LineCursor c : open) {
        c.in.close();
      }
    }
  }

  private static final int BUFFER = 1 << 16;

  /** Restores the min-heap order of {@code heap[0..size)} below {@code i}. */
  private static void siftDown(LineCursor[] heap, int size, int i) {
    LineCursor moving = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1].compareTo(heap[child]) < 0) {
        child++;
      }
      if (heap[child].compareTo(moving) >= 0) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = moving;
  }

  /**
   * The order of {@link String#compareTo} (UTF-16 code units) on the UTF-8 bytes of two strings, without decoding them.
   * UTF-8's byte order is code-point order, which is UTF-16's except that a supplementary character (a surrogate pair
   * in UTF-16, from U+D800) sorts below U+E000-U+FFFF there. Those differ in the lead byte (0xF0-0xF4 against 0xEE or
   * 0xEF), and where two lines first differ in a lead byte they share every byte before it, so ranking 0xEE and 0xEF
   * above 0xF4 at that byte is the whole correction; a byte inside a character is never above 0xBF.
   */
  static int compareAsStrings(byte[] a, int aLength, byte[] b, int bLength) {
    int i = Arrays.mismatch(a, 0, aLength, b, 0, bLength);
    if (i < 0) {
      return 0;
    }
    if (i == aLength || i == bLength) {
      return aLength - bLength;
    }
    return utf16Rank(a[i]) - utf16Rank(b[i]);
  }

  private static int utf16Rank(byte b) {
    int x = b & 0xff;
    return x == 0xEE || x == 0xEF ? x + 0x10 : x;
  }

  /**
   * One sorted input, line by line ({@link LineReader}: lines end at a newline, a carriage return before it dropped),
   * its current line copied to {@code line[0..length)} so that the next can be checked against it. Empty lines are
   * skipped.
   */
  private static final class LineCursor implements Comparable<LineCursor> {
    private final InputStream in;
    private final LineReader reader;
    byte[] line = new byte[256];
    int length = -1; // no line yet

    LineCursor(InputStream in) {
      this.in = in;
      this.reader = LineReader.of(in);
    }

    /**
     * Moves to the next non-empty line; false at the end of the input.
     *
     * @throws OutOfOrder when that line sorts below the one before it
     */
    boolean advance() throws IOException {
      byte[] next;
      do {
        next = reader.next();
        if (next == null) {
          return false;
        }
      } while (reader.length() == 0);
      int n = reader.length();
      if (length >= 0 && compareAsStrings(next, n, line, length) < 0) {
        throw new OutOfOrder();
      }
      if (n > line.length) {
        line = new byte[Math.max(n, line.length * 2)];
      }
      System.arraycopy(next, 0, line, 0, n);
      length = n;
      return true;
    }

    @Override
    public int compareTo(LineCursor other) {
      return compareAsStrings(line, length, other.line, other.length);
    }
  }

  /** An input found out of order while merging: the caller sorts instead. */
  private static final class OutOfOrder extends IOException {
    OutOfOrder() {
      super("input not sorted");
    }
  }
}
