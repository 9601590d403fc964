package dev.assay.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
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
}
