package dev.assay.grouping;

import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;
import org.junit.jupiter.api.io.TempDir;

/** Records written with {@link Json#line} come back equal through ReadJsonl, with encodability checks on. */
class ReadJsonlTest {
  @TempDir Path tmp;

  record Row(String id, double score, List<String> tags) {}

  @Test
  void readsEveryRecordBackAndSkipsBlankLines() throws IOException {
    List<Row> rows = List.of(new Row("a", 1.5, List.of("x")), new Row("b\u00e9", -0.25, List.of()), new Row("c", 0, List.of("y", "z")));
    Path file = tmp.resolve("rows.jsonl");
    Files.writeString(file, Json.line(rows.get(0)) + "\n\n" + Json.line(rows.get(1)) + "\n" + Json.line(rows.get(2)) + "\n");
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Row> read = p.apply(ReadJsonl.of(Row.class, file.toString()));
    PAssert.that(read).containsInAnyOrder(rows);
    p.run().waitUntilFinish();
  }

  /**
   * Ranges as small as 1 to 17 bytes cut through every line, its newline and multi-byte characters: each record is
   * still read exactly once (a line belongs to the range its first byte is in), including a last line without a
   * newline, CRLF endings and blank lines. Several files match the pattern.
   */
  @Test
  void everyRecordOnceWhateverTheRangeBounds() throws IOException {
    List<Row> rows = new ArrayList<>();
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      Row r = new Row("r" + i + "\u00e9\u4e2d", i * 0.5, i % 3 == 0 ? List.of() : List.of("t" + i));
      rows.add(r);
      StringBuilder to = i % 2 == 0 ? a : b;
      to.append(Json.line(r)).append(i % 5 == 0 ? "\r\n" : "\n");
      if (i % 7 == 0) {
        to.append("\n");
      }
    }
    b.setLength(b.length() - 1); // the second file's last line has no newline
    Files.writeString(tmp.resolve("part-a.jsonl"), a.toString());
    Files.writeString(tmp.resolve("part-b.jsonl"), b.toString());
    for (long range : new long[] {1, 2, 17, 1 << 20}) {
      TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
      PCollection<Row> read = p.apply(ReadJsonl.of(Row.class, tmp.resolve("part-*.jsonl").toString()).withRangeBytes(range));
      PAssert.that(read).containsInAnyOrder(rows);
      p.run().waitUntilFinish();
    }
  }

  @Test
  void aFileThatDoesNotExistFailsThePipeline() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    p.apply(ReadJsonl.of(Row.class, tmp.resolve("missing.jsonl").toString()));
    assertThrows(Exception.class, () -> p.run().waitUntilFinish());
  }
}
