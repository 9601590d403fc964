package dev.assay.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The k-way merge of sorted shard files: byte order equals String order, rounds past the fan-in, any line end. */
class SortedLinesTest {
  @TempDir Path tmp;

  /** Code points either side of the surrogate range and supplementary ones: where UTF-8 and UTF-16 order differ. */
  private static final String[] ALPHABET = {"a", "{", "\u00e9", "\u20ac", "\ud7ff", "\ue000", "\uff5e", "\ufffd", "\ud83d\ude00", "\udbff\udfff"};

  /** More sorted inputs than are merged at once: merged through intermediate files, still in one order. */
  @Test
  void moreSortedInputsThanTheFanInAreMergedInRounds() throws IOException {
    int inputs = SortedLines.FAN_IN * 2 + 5;
    Random random = new Random(11);
    List<String> expected = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    Files.createDirectories(tmp.resolve("in"));
    for (int i = 0; i < inputs; i++) {
      List<String> lines = new ArrayList<>();
      int n = 1 + random.nextInt(5);
      for (int j = 0; j < n; j++) {
        lines.add("{\"id\":\"p" + random.nextInt(500) + "\"}");
      }
      lines.sort(null);
      expected.addAll(lines);
      Path f = tmp.resolve("in").resolve("shard-" + i);
      Files.write(f, lines, StandardCharsets.UTF_8);
      files.add(f);
    }
    expected.sort(null);
    SortedLines.Result r = SortedLines.merge(files, tmp.resolve("out.jsonl"), tmp.resolve(".scratch"), 1_000_000);
    assertThat(r, is(new SortedLines.Result(expected.size(), true)));
    assertThat(Files.readAllLines(tmp.resolve("out.jsonl")), equalTo(expected));
    assertThat("intermediate merges removed", Files.exists(tmp.resolve(".scratch")), is(false));
  }

  /** The merge compares UTF-8 bytes; its order must be String.compareTo's, which a plain byte comparison is not. */
  @Test
  void comparingUtf8BytesGivesStringOrder() {
    byte[] supplementary = "\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
    byte[] privateUse = "\ue000".getBytes(StandardCharsets.UTF_8);
    assertThat("bytes alone disagree here", Byte.compareUnsigned(supplementary[0], privateUse[0]) > 0, is(true));
    assertThat(SortedLines.compareAsStrings(supplementary, supplementary.length, privateUse, privateUse.length) < 0, is(true));

    Random random = new Random(17);
    for (int i = 0; i < 50_000; i++) {
      String prefix = randomText(random, 3);
      String a = prefix + randomText(random, 4);
      String b = prefix + randomText(random, 4);
      byte[] x = a.getBytes(StandardCharsets.UTF_8);
      byte[] y = b.getBytes(StandardCharsets.UTF_8);
      assertThat(a + " vs " + b, Integer.signum(SortedLines.compareAsStrings(x, x.length, y, y.length)), is(Integer.signum(a.compareTo(b))));
    }
  }

  /**
   * Merged as bytes, sorted inputs give the bytes the sort gives, whatever the characters, the line ends (LF, CR LF,
   * a last line without one), empty lines and lines longer than the read buffer.
   */
  @Test
  void mergingBytesGivesTheSortsBytesForAnyTextAndLineEnd() throws IOException {
    Random random = new Random(23);
    Files.createDirectories(tmp.resolve("in"));
    List<Path> sortedInputs = new ArrayList<>();
    List<Path> unsortedInputs = new ArrayList<>();
    List<String> all = new ArrayList<>();
    String[] ends = {"\n", "\r\n", "\n\n"};
    for (int f = 0; f < 6; f++) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        lines.add("{\"t\":\"" + randomText(random, 6) + "\"}");
      }
      if (f == 0) {
        lines.add("{\"long\":\"" + "\u00e9x".repeat(50_000) + "\"}"); // 150 KB: longer than the read buffer
      }
      all.addAll(lines);
      List<String> sorted = new ArrayList<>(lines);
      sorted.sort(null);
      sortedInputs.add(write(tmp.resolve("in").resolve("sorted-" + f), sorted, ends[f % ends.length], f == 1));
      unsortedInputs.add(write(tmp.resolve("in").resolve("unsorted-" + f), lines, ends[f % ends.length], f == 1));
    }
    all.sort(null);
    SortedLines.Result merged = SortedLines.merge(sortedInputs, tmp.resolve("merged.jsonl"), tmp.resolve(".scratch-m"), 1 << 20);
    SortedLines.Result sorted = SortedLines.merge(unsortedInputs, tmp.resolve("sorted.jsonl"), tmp.resolve(".scratch-s"), 1 << 20);
    assertThat(merged, is(new SortedLines.Result(all.size(), true)));
    assertThat(sorted, is(new SortedLines.Result(all.size(), false)));
    assertThat(Files.readAllBytes(tmp.resolve("merged.jsonl")), equalTo(Files.readAllBytes(tmp.resolve("sorted.jsonl"))));
    assertThat(Files.readAllLines(tmp.resolve("merged.jsonl"), StandardCharsets.UTF_8), equalTo(all));
  }

  private static String randomText(Random random, int maxLength) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(maxLength + 1);
    for (int i = 0; i < n; i++) {
      b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return b.toString();
  }

  private static Path write(Path file, List<String> lines, String end, boolean lastWithoutEnd) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      text.append(lines.get(i));
      if (i < lines.size() - 1 || !lastWithoutEnd) {
        text.append(end);
      }
    }
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    return file;
  }
}
