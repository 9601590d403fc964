package dev.assay.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An external merge sort of text lines: what lets {@link RunDirectory#publish} write a sorted output of any size in
 * bounded memory.
 *
 * <p>Lines are read from the inputs in order, empty lines dropped, and collected until they hold {@code runChars}
 * characters; each such run is sorted ({@link String#compareTo}) and, when more input follows, spilled to a file
 * under a scratch folder. The runs are then merged into the output. An input that fits one run is never spilled.
 * Equal lines are all kept. The scratch folder is removed afterwards, also when the sort fails.
 */
final class SortedLines {
  private SortedLines() {}

  /**
   * Writes the lines of {@code inputs}, sorted, to {@code out} and returns how many there were.
   *
   * @param scratch a folder for spilled runs (created when needed, deleted afterwards)
   * @param runChars characters sorted in memory at a time
   * @throws IOException when an input, a spilled run or the output cannot be read or written
   */
  static long merge(List<Path> inputs, Path out, Path scratch, long runChars) throws IOException {
    List<Path> spilled = new ArrayList<>();
    List<String> run = new ArrayList<>();
    long chars = 0;
    long total = 0;
    try {
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
        mergeRuns(spilled, run, out);
      }
      return total;
    } finally {
      RunDirectory.deleteRecursively(scratch);
    }
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

  /** A k-way merge of the spilled runs and the last run, still in memory. */
  private static void mergeRuns(List<Path> spilled, List<String> last, Path out) throws IOException {
    List<BufferedReader> readers = new ArrayList<>();
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      PriorityQueue<Head> heads = new PriorityQueue<>();
      for (Path file : spilled) {
        BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        readers.add(r);
        Head first = Head.of(r.readLine(), r, null);
        if (first != null) {
          heads.add(first);
        }
      }
      var rest = last.iterator();
      if (rest.hasNext()) {
        heads.add(Head.of(rest.next(), null, rest));
      }
      while (!heads.isEmpty()) {
        Head h = heads.poll();
        w.write(h.line());
        w.write('\n');
        Head next = h.advance();
        if (next != null) {
          heads.add(next);
        }
      }
    } finally {
      for (BufferedReader r : readers) {
        r.close();
      }
    }
  }

  /** The current line of one run: a spilled file or the in-memory iterator. */
  private record Head(String line, BufferedReader reader, java.util.Iterator<String> memory) implements Comparable<Head> {
    static Head of(String line, BufferedReader reader, java.util.Iterator<String> memory) {
      return line == null ? null : new Head(line, reader, memory);
    }

    Head advance() throws IOException {
      if (reader != null) {
        return of(reader.readLine(), reader, null);
      }
      return memory.hasNext() ? of(memory.next(), null, memory) : null;
    }

    @Override
    public int compareTo(Head other) {
      return line.compareTo(other.line);
    }
  }
}
