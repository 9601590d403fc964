package dev.assay.agreement;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.agreement.LongFormatReader.Fields;
import dev.assay.agreement.LongFormatReader.Format;
import dev.assay.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long-format reading from JSONL and CSV: keys, label types, and every bad-input error with file/line/field. */
class LongFormatReaderTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static Ratings read(Path file, Fields fields) {
    return LongFormatReader.read(file, Format.of(file), fields);
  }

  private static InputException error(Path file, Fields fields) {
    return assertThrows(InputException.class, () -> read(file, fields));
  }

  @Test
  void jsonlWithStringAndNumberLabelsAndIds() throws IOException {
    Path f =
        write(
            "r.jsonl",
            """
            {"item": "q1", "rater": "gpt-4", "label": "A", "extra": [1, 2]}
            {"item": 7, "rater": "human", "label": 4.50}

            {"item": "q1", "rater": "human", "label": true}
            """);
    Ratings r = read(f, Fields.DEFAULT);
    assertThat(r.size(), equalTo(3));
    Rating first = r.ratings().get(0);
    assertThat(first.item(), equalTo(ItemKey.of("q1")));
    assertThat(first.label(), equalTo(new Label("A", null)));
    // A JSON number keeps its value; its text is the shortest decimal form.
    assertThat(r.ratings().get(1).label(), equalTo(new Label("4.5", 4.5)));
    assertThat(r.ratings().get(1).item(), equalTo(ItemKey.of("7")));
    assertThat(r.ratings().get(2).label().text(), equalTo("true"));
    // Blank line 3 is skipped but counted, so the third vote is on line 4.
    assertThat(r.ratings().get(2).origin(), equalTo(new Origin(f.toString(), 4, "label")));
  }

  @Test
  void csvWithQuotedCommasAndNewlinesAndCompositeKey() throws IOException {
    Path f =
        write(
            "r.csv",
            """
            question,turn,judge,score,comment
            "q,1",1,alice,5,"fine, really"
            "q,1",2,alice,4,"two
            lines"
            "q,1",1,bob,5,
            q2,1,bob,3,x
            """);
    Ratings r = read(f, new Fields(List.of("question", "turn"), "judge", "score"));
    assertThat(r.size(), equalTo(4));
    assertThat(r.ratings().get(0).item(), equalTo(new ItemKey(List.of("q,1", "1"))));
    assertThat(r.ratings().get(1).item(), equalTo(new ItemKey(List.of("q,1", "2"))));
    // Same question, other turn: a different item. Same question and turn: the same item as the first row.
    assertThat(r.ratings().get(2).item(), equalTo(r.ratings().get(0).item()));
    assertThat(r.ratings().get(2).origin().line(), equalTo(5L));
    assertThat(r.ratings().get(3).label(), equalTo(new Label("3", 3.0)));
  }

  @Test
  void csvNumbersAreRecognisedAndTextStaysText() {
    assertThat(Label.of("-2.5e1").number(), equalTo(-25.0));
    assertThat(Label.of(" 3 ").number(), equalTo(3.0));
    assertThat(Label.of("tie").number(), nullValue());
    assertThat(Label.of("NaN").number(), nullValue());
    assertThat(Label.of("1e999").number(), nullValue());
    assertThat(Label.of("0x10").number(), nullValue());
    assertThat(Label.of("1").matches("1.0"), equalTo(true));
    assertThat(Label.of("tie").matches("Tie"), equalTo(false));
  }

  @Test
  void missingFieldNamesFileLineAndField() throws IOException {
    Path f = write("m.jsonl", "{\"item\": \"a\", \"rater\": \"r\", \"label\": 1}\n{\"item\": \"a\", \"label\": 2}\n");
    InputException e = error(f, Fields.DEFAULT);
    assertThat(e.getMessage(), equalTo(f + ":2: field 'rater': missing required field"));
    assertThat(e.line(), equalTo(2L));
    assertThat(e.field(), equalTo("rater"));
  }

  @Test
  void nullBlankAndObjectLabelsAreErrors() throws IOException {
    Path nul = write("n.jsonl", "{\"item\": \"a\", \"rater\": \"r\", \"label\": null}\n");
    assertThat(error(nul, Fields.DEFAULT).getMessage(), containsString(":1: field 'label': missing label"));
    Path blank = write("b.jsonl", "{\"item\": \"a\", \"rater\": \"r\", \"label\": \"  \"}\n");
    assertThat(error(blank, Fields.DEFAULT).getMessage(), containsString(":1: field 'label': blank label"));
    Path obj = write("o.jsonl", "{\"item\": \"a\", \"rater\": \"r\", \"label\": {\"x\": 1}}\n");
    assertThat(error(obj, Fields.DEFAULT).getMessage(), containsString("expected a string or a number, got object"));
    Path csv = write("e.csv", "item,rater,label\na,r,1\nb,r,\n");
    assertThat(error(csv, Fields.DEFAULT).getMessage(), containsString("e.csv:3: field 'label': empty label"));
    Path rater = write("r.csv", "item,rater,label\na,,1\n");
    assertThat(error(rater, Fields.DEFAULT).getMessage(), containsString("r.csv:2: field 'rater': empty rater"));
  }

  @Test
  void emptyFilesAreErrors() throws IOException {
    assertThat(
        error(write("e.jsonl", ""), Fields.DEFAULT).getMessage(), containsString("no records (the file is empty)"));
    assertThat(
        error(write("e.csv", ""), Fields.DEFAULT).getMessage(), containsString("no header row (the file is empty)"));
  }

  @Test
  void raggedCsvRowAndMissingColumn() throws IOException {
    Path ragged = write("g.csv", "item,rater,label\na,r,1\nb,r\n");
    assertThat(
        error(ragged, Fields.DEFAULT).getMessage(), equalTo(ragged + ":3: ragged row: 2 fields, the header has 3"));
    Path noColumn = write("c.csv", "item,judge,label\na,r,1\n");
    assertThat(
        error(noColumn, Fields.DEFAULT).getMessage(),
        equalTo(noColumn + ":1: field 'rater': no such column in the header [item, judge, label]"));
  }

  /** The reader keeps a rater's repeated vote; the report decides, among the raters it uses (AgreementReportTest). */
  @Test
  void aRaterRatingAnItemTwiceIsReadAsItIs() throws IOException {
    Path f = write("d.csv", "item,rater,label\na,r1,1\na,r2,1\nb,r1,2\na,r1,2\n");
    Ratings r = read(f, Fields.DEFAULT);
    assertThat(r.size(), equalTo(4));
    assertThat(r.ratings().get(3).origin().line(), equalTo(5L));
  }

  @Test
  void whereOnCsvAndImportedFiles() throws IOException {
    Path f = write("w.csv", "item,turn,rater,label\na,1,x,1\na,2,x,\nb,1,x,2\n");
    // The left-out row's empty label is not checked: rows left out are not read any further.
    Ratings r = LongFormatReader.read(f, Format.CSV, Fields.DEFAULT, RowFilter.parse(List.of("turn=1")), LabelMap.NONE);
    assertThat(r.size(), equalTo(2));
    assertThat(r.rowsLeftOut(), equalTo(1L));
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                LongFormatReader.read(
                    f, Format.CSV, Fields.DEFAULT, RowFilter.parse(List.of("round=1")), LabelMap.NONE));
    assertThat(
        e.getMessage(), equalTo(f + ":1: field 'round': no such column in the header [item, turn, rater, label]"));
    Path llmbar =
        write(
            "result.json",
            """
            [
              {"label": 1, "results": [{"swap = False": {"winner": "1"}, "swap = True": {"winner": "2"}}]},
              {"label": 2, "results": [{"swap = False": {"winner": "2"}, "swap = True": {"winner": "2"}}]}
            ]
            """);
    Ratings gold2 = ImportFormat.LLMBAR.read(llmbar, RowFilter.parse(List.of("label=2")), LabelMap.NONE);
    assertThat(gold2.size(), equalTo(3));
    assertThat(gold2.ratings().get(0).item(), equalTo(ItemKey.of("1")));
    InputException object =
        assertThrows(
            InputException.class,
            () -> ImportFormat.LLMBAR.read(llmbar, RowFilter.parse(List.of("results=x")), LabelMap.NONE));
    assertThat(
        object.getMessage(), equalTo(llmbar + ":2: field 'results': --where compares text or numbers, got array"));
  }

  @Test
  void formatFromTheExtension() {
    assertThat(Format.of(Path.of("x.jsonl")), equalTo(Format.JSONL));
    assertThat(Format.of(Path.of("x.ndjson.gz")), equalTo(Format.JSONL));
    assertThat(Format.of(Path.of("X.CSV")), equalTo(Format.CSV));
    InputException e = assertThrows(InputException.class, () -> Format.of(Path.of("x.json")));
    assertThat(e.getMessage(), containsString("cannot tell the format"));
  }

  @Test
  void fieldsMustBeDistinct() {
    assertThrows(IllegalArgumentException.class, () -> new Fields(List.of("a"), "a", "b"));
    assertThrows(IllegalArgumentException.class, () -> new Fields(List.of(), "r", "l"));
    assertThat(new Fields(List.of("q", "t"), "r", "l").item(), contains("q", "t"));
  }
}
