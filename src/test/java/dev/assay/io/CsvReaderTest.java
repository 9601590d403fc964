package dev.assay.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 4180 parsing and the strict errors, each naming file and line. */
class CsvReaderTest {
  private static CsvReader.Table parse(String text) throws IOException {
    return CsvReader.parse("t.csv", new StringReader(text));
  }

  private static InputException error(String text) {
    return assertThrows(InputException.class, () -> parse(text));
  }

  @Test
  void quotedFieldsHoldCommasQuotesAndLineBreaks() throws IOException {
    CsvReader.Table t =
        parse("item,rater,label\n\"q,1\",\"say \"\"hi\"\"\",A\n\"two\nlines\",r2,\"\"\nq3,r3,B\n");
    assertThat(t.header(), contains("item", "rater", "label"));
    assertThat(t.rows().get(0).values(), contains("q,1", "say \"hi\"", "A"));
    assertThat(t.rows().get(1).values(), contains("two\nlines", "r2", ""));
    // A record's line is where it starts; the quoted line break moves the next record to line 5.
    assertThat(t.rows().get(0).line(), equalTo(2L));
    assertThat(t.rows().get(1).line(), equalTo(3L));
    assertThat(t.rows().get(2).line(), equalTo(5L));
  }

  @Test
  void crlfBomBlankLinesAndMissingFinalNewline() throws IOException {
    CsvReader.Table t = parse("\uFEFFa,b\r\n1,2\r\n\r\n3,4");
    assertThat(t.header(), contains("a", "b"));
    assertThat(t.rows().get(1).values(), contains("3", "4"));
    assertThat(t.rows().get(1).line(), equalTo(4L));
  }

  @Test
  void spacesArePartOfAField() throws IOException {
    assertThat(parse("a,b\n x , y \n").rows().get(0).values(), contains(" x ", " y "));
  }

  @Test
  void raggedRowNamesItsLine() {
    InputException e = error("a,b,c\n1,2,3\n1,2\n");
    assertThat(e.line(), equalTo(3L));
    assertThat(e.getMessage(), equalTo("t.csv:3: ragged row: 2 fields, the header has 3"));
  }

  @Test
  void unclosedQuoteNamesWhereTheRecordStarts() {
    InputException e = error("a,b\n1,\"open\nstill open\n");
    assertThat(e.line(), equalTo(2L));
    assertThat(e.getMessage(), containsString("quoted field opened on line 2 is never closed"));
  }

  @Test
  void strayQuotesAreErrors() {
    assertThat(error("a,b\n1,x\"y\n").getMessage(), containsString("t.csv:2: quote inside an unquoted field"));
    assertThat(error("a,b\n1,\"x\"y\n").getMessage(), containsString("t.csv:2: unexpected character 'y'"));
  }

  @Test
  void emptyFileHeaderOnlyAndBadHeaders() {
    assertThat(error("").getMessage(), equalTo("t.csv: no header row (the file is empty)"));
    assertThat(error("a,b\n").getMessage(), equalTo("t.csv: no records (only a header row)"));
    assertThat(error("a,,b\n1,2,3\n").getMessage(), containsString("t.csv:1: empty column name"));
    assertThat(error("a,b,a\n1,2,3\n").getMessage(), equalTo("t.csv:1: field 'a': column appears twice in the header"));
  }

  @Test
  void missingColumnIsNamedAsAField() throws IOException {
    CsvReader.Table t = parse("a,b\n1,2\n");
    InputException e = assertThrows(InputException.class, () -> t.column("rater"));
    assertThat(e.getMessage(), startsWith("t.csv:1: field 'rater': no such column in the header [a, b]"));
  }

  /**
   * A decoding reader reads ahead of the parser, so a bad byte on line 3 was reported at line 1 and one on line
   * 5,000 at line 4,840: the line must be the one that holds the byte, in a small file and past the first buffer.
   */
  @Test
  void invalidUtf8IsReportedOnItsOwnLine(@TempDir Path dir) throws IOException {
    Path small = dir.resolve("small.csv");
    Files.write(small, bytesWithBadByteOnLine(5, 3));
    InputException e = assertThrows(InputException.class, () -> CsvReader.readAll(small));
    assertThat(e.getMessage(), equalTo(small + ":3: invalid UTF-8"));
    Path large = dir.resolve("large.csv");
    Files.write(large, bytesWithBadByteOnLine(10_000, 5_000));
    assertThat(assertThrows(InputException.class, () -> CsvReader.readAll(large)).line(), equalTo(5_000L));
    // A CRLF inside a quoted field is kept as it is: the lines are decoded apart but joined with their own breaks.
    Path crlf = dir.resolve("crlf.csv");
    Files.writeString(crlf, "a,b\r\n\"x\r\ny\",2\r\n3,4\r\n");
    CsvReader.Table t = CsvReader.readAll(crlf);
    assertThat(t.rows().get(0).values(), contains("x\r\ny", "2"));
    assertThat(t.rows().get(1).line(), equalTo(4L));
  }

  /** A header and {@code lines - 1} rows of text, with the byte 0xff in the row on line {@code bad}. */
  private static byte[] bytesWithBadByteOnLine(int lines, int bad) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes("item,rater,label\n".getBytes(StandardCharsets.UTF_8));
    for (int line = 2; line <= lines; line++) {
      out.writeBytes(("q" + line + ",r,\u00e9t\u00e9 " + line + "\n").getBytes(StandardCharsets.UTF_8));
      if (line == bad - 1) {
        out.writeBytes(new byte[] {'q', ',', 'r', ',', (byte) 0xff, '\n'});
        line++;
      }
    }
    return out.toByteArray();
  }

  @Test
  void filesInvalidUtf8AndMissingFile(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.csv");
    Files.write(bad, new byte[] {'a', '\n', (byte) 0xff, '\n'});
    assertThat(
        assertThrows(InputException.class, () -> CsvReader.readAll(bad)).getMessage(),
        containsString("invalid UTF-8"));
    Path good = dir.resolve("good.csv");
    Files.writeString(good, "x\n\u00e9\n", StandardCharsets.UTF_8);
    assertThat(CsvReader.readAll(good).rows().get(0).values(), equalTo(List.of("\u00e9")));
    assertThat(
        assertThrows(InputException.class, () -> CsvReader.readAll(dir.resolve("none.csv"))).getMessage(),
        containsString("file not found"));
  }
}
