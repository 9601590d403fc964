package dev.assay.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * An external merge sort of text lines: what lets {@link RunDirectory#publish} write a sorted output of any size in
 * bounded memory.
 *
 * <p><b>Inputs already sorted</b> (what {@code ShardLines} writes) are merged in one streaming pass, at most {@value
 * #FAN_IN} files at a time (more go through sorted intermediate files under the scratch folder), so the driver never
 * sorts what the workers sorted. Each input's order is checked as it is read; at the first line that is smaller than
 * the line before it in the same input, the merge is abandoned and the lines are sorted as below. An unsorted input
 * is therefore detected after a few lines in practice, at worst after reading it once.
 *
 * <p><b>Otherwise</b> lines are read from the inputs in order and collected until they hold {@code runChars}
 * characters; each such run is sorted ({@link String#compareTo}) and, when more input follows, spilled to a file
 * under the scratch folder. The runs are then merged into the output. An input that fits one run is never spilled.
 *
 * <p>Either way empty lines are dropped, equal lines are all kept, and the output's bytes are the same. The scratch
 * folder is removed afterwards, also when the sort fails.
 */
final class SortedLines {
  /** Files merged at once: bounded so that a cluster's thousands of shards do not exhaust file handles. */
  static final int FAN_IN = 128;

  private SortedLines() {}

  /**
   * What a merge wrote.
   *
   * @param lines the lines written
   * @param merged whether every input was sorted, so that they were only merged
   */
  record Result(long lines, boolean merged) {}

  /**
   * Writes the lines of {@code inputs}, sorted, to {@code out}.
   *
   * @param scratch a folder for spilled runs and intermediate merges (created when needed, deleted afterwards)
   * @param runChars characters sorted in memory at a time
   * @throws IOException when an input, a spilled run or the output cannot be read or written
   */
  static Result merge(List<Path> inputs, Path out, Path scratch, long runChars) throws IOException {
    try {
      long merged = mergeIfSorted(inputs, out, scratch);
      // Spilled runs are named run-N, intermediate merges merge-R-N: the abandoned merge's files do not collide.
      return merged >= 0 ? new Result(merged, true) : new Result(sort(inputs, out, scratch, runChars), false);
    } finally {
      RunDirectory.deleteRecursively(scratch);
    }
  }

  /** The streaming merge of sorted inputs; -1 when one of them turns out not to be sorted. */
  private static long mergeIfSorted(List<Path> inputs, Path out, Path scratch) throws IOException {
    List<Path> level = inputs;
    for (int round = 0; level.size() > FAN_IN; round++) {
      List<Path> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += FAN_IN) {
        Files.createDirectories(scratch);
        Path merged = scratch.resolve("merge-" + round + "-" + next.size());
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
      try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.isEmpty()) {
            continue;
          }
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
    run.sort(null);
    if (spilled.isEmpty()) {
      write(run, out);
    } else {
      List<Head> heads = new ArrayList<>();
      Head.ofMemory(run.iterator()).ifPresent(heads::add);
      try (Readers readers = new Readers()) {
        for (Path file : spilled) {
          readers.open(file).ifPresent(heads::add);
        }
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
          mergeHeads(heads, w);
        }
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

  /** Merges sorted files into {@code out}; the lines written, or -1 at the first input found out of order. */
  private static long mergeFiles(List<Path> files, Path out) throws IOException {
    List<Head> heads = new ArrayList<>();
    try (Readers readers = new Readers(); BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (Path file : files) {
        readers.open(file).ifPresent(heads::add);
      }
      return mergeHeads(heads, w);
    } catch (OutOfOrder e) {
      return -1;
    }
  }

  /** A k-way merge of the heads into {@code w}; the lines written. */
  private static long mergeHeads(List<Head> first, BufferedWriter w) throws IOException {
    PriorityQueue<Head> heads = new PriorityQueue<>(first);
    long n = 0;
    while (!heads.isEmpty()) {
      Head h = heads.poll();
      w.write(h.line());
      w.write('\n');
      n++;
      h.next().ifPresent(heads::add);
    }
    return n;
  }

  /** An input found out of order while merging: the caller sorts instead. */
  private static final class OutOfOrder extends IOException {
    OutOfOrder() {
      super("input not sorted");
    }
  }

  /** The readers a merge has open, closed together. */
  private static final class Readers implements AutoCloseable {
    private final List<BufferedReader> open = new ArrayList<>();

    Optional<Head> open(Path file) throws IOException {
      BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      open.add(r);
      return Head.ofFile(r, "");
    }

    @Override
    public void close() throws IOException {
      IOException first = null;
      for (BufferedReader r : open) {
        try {
          r.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  /** The current line of one input: a file (its order checked) or a run still in memory. Empty lines are skipped. */
  private record Head(String line, BufferedReader reader, Iterator<String> memory) implements Comparable<Head> {
    static Optional<Head> ofFile(BufferedReader reader, String previous) throws IOException {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isEmpty()) {
          if (line.compareTo(previous) < 0) {
            throw new OutOfOrder();
          }
          return Optional.of(new Head(line, reader, null));
        }
      }
      return Optional.empty();
    }

    static Optional<Head> ofMemory(Iterator<String> memory) {
      return memory.hasNext() ? Optional.of(new Head(memory.next(), null, memory)) : Optional.empty();
    }

    Optional<Head> next() throws IOException {
      return reader != null ? ofFile(reader, line) : ofMemory(memory);
    }

    @Override
    public int compareTo(Head other) {
      return line.compareTo(other.line);
    }
  }
}
