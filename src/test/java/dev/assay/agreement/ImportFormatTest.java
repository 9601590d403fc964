package dev.assay.agreement;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PandaLM and LLMBar importers on small files of their shape, and their errors with file, line and field. */
class ImportFormatTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    Path p = dir.resolve("data.json");
    Files.writeString(p, text);
    return p;
  }

  private InputException error(ImportFormat format, String text) throws IOException {
    Path p = write(text);
    return assertThrows(
        InputException.class, () -> AgreementReport.compute(format.read(p), AgreementOptions.defaults()));
  }

  @Test
  void pandaLmAnnotatorsBecomeRaters() throws IOException {
    Path p =
        write(
            """
            [
              {"idx": 0, "cmp_key": "a_b", "annotator1": 2, "annotator2": 2, "annotator3": 0},
              {"idx": 1, "annotator1": 1, "annotator2": 0, "annotator3": 1}
            ]
            """);
    Ratings r = ImportFormat.PANDALM.read(p);
    assertThat(r.size(), equalTo(6));
    assertThat(r.ratings().stream().map(Rating::rater).distinct().toList(),
        contains("annotator1", "annotator2", "annotator3"));
    Rating last = r.ratings().get(5);
    assertThat(last.item(), equalTo(ItemKey.of("1")));
    assertThat(last.label(), equalTo(new Label("1", 1.0)));
    assertThat(last.origin(), equalTo(new Origin(p.toString(), 3, "annotator3")));
  }

  @Test
  void pandaLmErrorsNameLineAndField() throws IOException {
    InputException label =
        error(ImportFormat.PANDALM, "[\n{\"idx\": 0, \"annotator1\": 1},\n{\"idx\": 1, \"annotator1\": 3}\n]");
    assertThat(label.line(), equalTo(3L));
    assertThat(label.getMessage(), containsString("field 'annotator1': expected 0 (tie), 1 or 2"));
    InputException none = error(ImportFormat.PANDALM, "[{\"idx\": 0, \"gpt_result\": \"1\"}]");
    assertThat(none.getMessage(), containsString("no annotatorN field"));
    InputException idx = error(ImportFormat.PANDALM, "[{\"annotator1\": 1}]");
    assertThat(idx.getMessage(), containsString("field 'idx': missing required field"));
    InputException twice =
        error(ImportFormat.PANDALM, "[\n{\"idx\": 0, \"annotator1\": 1},\n{\"idx\": 0, \"annotator1\": 2}\n]");
    assertThat(twice.getMessage(), containsString("rated item '0' twice, on lines 2 and 3"));
  }

  @Test
  void jsonShapeErrors() throws IOException {
    assertThat(error(ImportFormat.PANDALM, "{\"idx\": 0}").getMessage(), containsString(":1: expected a JSON array"));
    assertThat(error(ImportFormat.PANDALM, "[]").getMessage(), containsString("the array is empty"));
    assertThat(error(ImportFormat.PANDALM, "[1]").getMessage(), containsString("element 0 is not a JSON object"));
    InputException malformed = error(ImportFormat.LLMBAR, "[\n{\"label\": 1,\n\"results\": [}\n]");
    assertThat(malformed.line(), equalTo(3L));
    assertThat(malformed.getMessage(), containsString(":3: malformed JSON at column 13: Unexpected close marker"));
    // A file cut short: Jackson's sentence names where the array opened, as "[Source: REDACTED ...; line: 1, column:
    // 1]" before; the line is the file's here, so it is kept.
    InputException cut = error(ImportFormat.PANDALM, "[{\"idx\": 0, \"annotator1\": 1},\n{\"idx\": 1");
    assertThat(cut.getMessage(), endsWith("Unexpected end-of-input: expected close marker for Object (start marker at"
        + " line 2, column 1)"));
    assertThat(cut.getMessage(), not(containsString("Source")));
    InputException missing =
        assertThrows(
            InputException.class, () -> ImportFormat.LLMBAR.read(dir.resolve("no.json")));
    assertThat(missing.getMessage(), containsString("file not found"));
  }

  /**
   * Item 0 has one round; item 1 a first round where the orders disagree and a debate round where they agree (only
   * the last counts); item 2 a null winner and a leading generated-metrics element, as in LLMBar's Metrics runs.
   */
  @Test
  void llmBarTakesTheLastRoundAndKeepsNullVerdictsAsNone() throws IOException {
    Path p =
        write(
            """
            [
              {"label": 1, "results": [{"swap = False": {"winner": "1"}, "swap = True": {"winner": "1"}}]},
              {"label": 2, "results": [
                {"swap = False": {"winner": "1"}, "swap = True": {"winner": "2"}},
                {"swap = False": {"winner": "2"}, "swap = True": {"winner": "2"}}]},
              {"label": 2, "results": [["1. Is it concise?", "stop"],
                {"swap = False": {"winner": null}, "swap = True": {"winner": "2"}}]}
            ]
            """);
    Ratings r = ImportFormat.LLMBAR.read(p);
    assertThat(r.size(), equalTo(9));
    assertThat(
        r.ratings().stream().map(v -> v.item().parts().get(0) + ":" + v.rater() + "=" + v.label().text()).toList(),
        contains(
            "0:gold=1", "0:original=1", "0:swapped=1",
            "1:gold=2", "1:original=2", "1:swapped=2",
            "2:gold=2", "2:original=none", "2:swapped=2"));
    assertThat(r.ratings().get(5).origin().field(), equalTo("results[1].swap = True.winner"));
    AgreementReport report =
        AgreementReport.compute(
            r, AgreementOptions.defaults().withGroups(RaterPattern.parse("original"), RaterPattern.parse("swapped")));
    // Same verdict in both orders on items 0 and 1; "none" vs "2" on item 2 disagrees, as LLMBar's "equal" counts.
    assertThat(report.groups().comparison().agreeing(), equalTo(2L));
    assertThat(report.groups().comparison().pairs(), equalTo(3L));
  }

  @Test
  void llmBarErrors() throws IOException {
    InputException gold = error(ImportFormat.LLMBAR, "[{\"label\": 0, \"results\": []}]");
    assertThat(gold.getMessage(), containsString("field 'label': expected the gold label 1 or 2"));
    InputException rounds = error(ImportFormat.LLMBAR, "[{\"label\": 1, \"results\": []}]");
    assertThat(rounds.getMessage(), containsString("field 'results': expected a non-empty list of rounds"));
    InputException order =
        error(ImportFormat.LLMBAR, "[{\"label\": 1, \"results\": [{\"swap = False\": {\"winner\": \"1\"}}]}]");
    assertThat(order.getMessage(), containsString("field 'results[0].swap = True.winner': missing"));
    InputException winner =
        error(
            ImportFormat.LLMBAR,
            "[{\"label\": 1, \"results\": [{\"swap = False\": {\"winner\": \"3\"},"
                + " \"swap = True\": {\"winner\": \"1\"}}]}]");
    assertThat(winner.getMessage(), containsString("expected \"1\", \"2\" or null, got \"3\""));
  }

  @Test
  void namesParseCaseInsensitively() {
    assertThat(ImportFormat.parse("PandaLM"), equalTo(ImportFormat.PANDALM));
    assertThat(ImportFormat.parse("llmbar"), equalTo(ImportFormat.LLMBAR));
    assertThrows(IllegalArgumentException.class, () -> ImportFormat.parse("mt-bench"));
  }
}
