package dev.assay.curation.filters;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Prompt;
import dev.assay.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** n-gram overlap with evaluation sets: what counts as an overlap, what is reported, bad evaluation files. */
class DecontaminationTest {
  static final String QUESTION =
      "A train leaves the station at noon travelling east at sixty miles per hour while another train leaves at one";

  @TempDir Path tmp;
  Path jsonl;
  Path text;

  @BeforeEach
  void evalFiles() throws IOException {
    jsonl = tmp.resolve("gsm.jsonl");
    Files.writeString(
        jsonl,
        "{\"question\": \"" + QUESTION + "\", \"answer\": \"the trains meet after seven hours on the northern line\"}\n"
            + "{\"question\": \"Which planet is known as the red planet in our solar system\", \"answer\": \"Mars\"}\n"
            + "{\"question\": \"Tiny one\", \"answer\": \"x\"}\n");
    text = tmp.resolve("trivia.txt");
    Files.writeString(text, "the quick brown fox jumps over the lazy dog near the riverbank today\n\n");
  }

  private EvalOverlapIndex index(DecontaminationSpec config) {
    return EvalOverlapIndex.load(List.of(jsonl, text), config);
  }

  @Test
  void aThirteenWordOverlapIsFoundWhateverTheCaseAndPunctuation() {
    Optional<EvalOverlapIndex.Overlap> hit =
        index(DecontaminationSpec.defaults())
            .find("Solve this: the STATION, at noon; travelling east at sixty miles per hour while another train"
                + " LEAVES -- please show work");
    assertThat(hit.isPresent(), is(true));
    assertThat(hit.get().evalFile(), is(jsonl.toString()));
    assertThat(hit.get().ngram(), is("the station at noon travelling east at sixty miles per hour while another"));
  }

  @Test
  void twelveSharedWordsAreNotAnOverlapAtTheDefaultButAreWithASmallerN() {
    // "station ... another": 12 words of the question; the words around them differ from the question's.
    String prompt = "Consider: station at noon travelling east at sixty miles per hour while another. Then stop.";
    assertThat(index(DecontaminationSpec.defaults()).find(prompt).isPresent(), is(false));
    assertThat(index(new DecontaminationSpec(8, 8, List.of())).find(prompt).isPresent(), is(true));
  }

  @Test
  void shortItemsAreMatchedWholeAndTinyOnesIgnored() {
    EvalOverlapIndex idx = index(DecontaminationSpec.defaults());
    Optional<EvalOverlapIndex.Overlap> hit = idx.find("Quiz: which planet is known as the red planet in our solar system?");
    assertThat(hit.get().ngram(), is("which planet is known as the red planet in our solar system"));
    assertThat(idx.find("Tiny one").isPresent(), is(false));
    // "Mars", "x" and "Tiny one" are below minWords.
    assertThat(idx.stats().get(0).tooShort(), is(3L));
  }

  @Test
  void textFilesAreOneItemPerLine() {
    Optional<EvalOverlapIndex.Overlap> hit =
        index(DecontaminationSpec.defaults()).find("Rewrite: The quick brown fox jumps over the lazy dog near the riverbank today!");
    assertThat(hit.get().evalFile(), is(text.toString()));
  }

  @Test
  void fieldsLimitWhatIsIndexed() {
    EvalOverlapIndex answersOnly = index(new DecontaminationSpec(13, 8, List.of("answer")));
    assertThat(answersOnly.find(QUESTION).isPresent(), is(false));
    assertThat(answersOnly.find("so the trains meet after seven hours on the northern line").isPresent(), is(true));
  }

  @Test
  void filterRemovesContaminatedRecordsWithTheEvidenceAndAccounts() {
    List<Prompt> prompts =
        List.of(new Prompt("p2", "Original question about gardening", null), new Prompt("p1", QUESTION + " explain", null));
    FilterResult<Prompt> r = index(DecontaminationSpec.defaults()).apply(prompts, Prompt::id, Prompt::text);
    assertThat(r.kept().size(), is(1));
    RemovedPrompt removed = r.removed().get(0);
    assertThat(removed.id(), is("p1"));
    assertThat(removed.reason(), is("contaminated"));
    assertThat(removed.evalFile(), is(jsonl.toString()));
    assertThat(removed.stage(), is("decontaminate"));
    assertThat(r.stageCount().balanced(), is(true));
    assertThat(r.stageCount().reasons().get("contaminated"), is(1L));
  }

  @Test
  void badEvaluationFilesNameTheFileAndLine() throws IOException {
    Path bad = tmp.resolve("bad.jsonl");
    Files.writeString(bad, "{\"question\": \"fine question here with words\"}\n{broken\n");
    InputException e =
        assertThrows(InputException.class, () -> EvalOverlapIndex.load(List.of(bad), DecontaminationSpec.defaults()));
    assertThat(e.getMessage(), containsString("bad.jsonl:2"));
    InputException missing =
        assertThrows(
            InputException.class,
            () -> EvalOverlapIndex.load(List.of(tmp.resolve("nope.txt")), DecontaminationSpec.defaults()));
    assertThat(missing.getMessage(), containsString("file not found"));
    InputException noField =
        assertThrows(
            InputException.class, () -> EvalOverlapIndex.load(List.of(jsonl), new DecontaminationSpec(13, 8, List.of("input"))));
    assertThat(noField.getMessage(), containsString("no text in the fields [input]"));
  }
}
