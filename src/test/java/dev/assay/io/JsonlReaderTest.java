package dev.assay.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict JSONL reader's messages: file, line and column, in words a user can act on. */
class JsonlReaderTest {
  @TempDir Path dir;

  private InputException error(String text) throws IOException {
    Path f = dir.resolve("r.jsonl");
    Files.writeString(f, text);
    return assertThrows(InputException.class, () -> JsonlReader.readAll(f));
  }

  /**
   * A line cut short (held-out data: a truncated export) was reported with Jackson's internals inside the sentence:
   * "(start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column:
   * 34])", whose line 1 is not the file's line. The message names the file's line and the columns only.
   */
  @Test
  void malformedJsonNamesLineAndColumnWithoutJacksonInternals() throws IOException {
    InputException e = error("{\"item\": \"a\", \"rater\": \"x\", \"label\": 1}\n{\"item\": \"a\", \"label\": [1\n");
    assertThat(e.line(), equalTo(2L));
    assertThat(
        e.getMessage(),
        equalTo(dir.resolve("r.jsonl") + ":2: malformed JSON at column 26: Unexpected end-of-input: expected close"
            + " marker for Array (start marker at column 24)"));
    for (String internal : new String[] {"Source", "REDACTED", "line: ", "StreamReadFeature"}) {
      assertThat(e.getMessage(), not(containsString(internal)));
    }
    InputException comma = error("{\"item\": \"a\" \"rater\": \"x\"}\n");
    assertThat(comma.getMessage(), containsString(":1: malformed JSON at column 14: Unexpected character"));
  }

  /** CSV accepted a UTF-8 byte-order mark and JSONL rejected it as malformed JSON; both accept it now. */
  @Test
  void byteOrderMarkIsAcceptedAsInCsv() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Path jsonl = dir.resolve("bom.jsonl");
    Files.write(jsonl, concat(bom, "{\"id\": \"a\"}\r\n{\"id\": \"b\"}\r\n".getBytes(StandardCharsets.UTF_8)));
    List<JsonlReader.Line> lines = JsonlReader.readAll(jsonl);
    assertThat(lines.get(0).text("id"), equalTo("a"));
    assertThat(lines.get(1).number(), equalTo(2L));
    Path csv = dir.resolve("bom.csv");
    Files.write(csv, concat(bom, "id\r\na\r\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(CsvReader.readAll(csv).header(), equalTo(List.of("id")));
    // Only at the start of the file: elsewhere U+FEFF is a character like any other, and not JSON whitespace.
    assertThat(error("{\"id\": \"a\"}\n\uFEFF{\"id\": \"b\"}\n").line(), equalTo(2L));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
