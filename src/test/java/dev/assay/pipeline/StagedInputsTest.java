package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateFile;
import dev.assay.generation.Prompt;
import dev.assay.generation.PromptFile;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentImport;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's inputs (prompts, candidates, imported judgments) are checked and staged line by line: the driver never holds
 * them, and bad input leaves nothing.
 */
class StagedInputsTest {
  @TempDir Path tmp;

  private static Judgment judgment(int i) {
    return new Judgment(
        "j/p" + i + "/m/0/0", "p" + i, JudgmentKind.ABSOLUTE, "j", "m", null, "p" + i + "/m/0", null, 0, JudgmentStatus.OK,
        1 + i % 5, null, "because " + i, null, ReferenceMode.NONE, null, "import:x.jsonl", null);
  }

  @Test
  void everyCheckedJudgmentIsStagedInItsCanonicalForm() throws IOException {
    List<Judgment> judgments = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      judgments.add(judgment(i));
    }
    Path input = tmp.resolve("in.jsonl");
    Files.write(input, judgments.stream().map(Json::line).toList());
    RunInputs.Staged staged = RunInputs.Staged.<Judgment>of("judgments", sink -> JudgmentImport.forEach(input, sink));
    assertThat(staged.count(), is(2_000L));
    assertThat(Files.readAllLines(staged.file()), is(judgments.stream().map(Json::line).toList()));
  }

  @Test
  void aBadLineFailsWithItsLineAndLeavesNoScratchFile() throws IOException {
    Path input = tmp.resolve("in.jsonl");
    Files.write(input, List.of(Json.line(judgment(1)), Json.line(judgment(2)), "{\"id\": \"x\"}"));
    List<Path> before = scratchFiles();
    InputException e =
        assertThrows(InputException.class, () -> RunInputs.Staged.<Judgment>of("judgments", sink -> JudgmentImport.forEach(input, sink)));
    assertThat(e.line(), is(3L));
    assertThat(scratchFiles(), is(before));
  }

  @Test
  void noJudgmentsStageNoFile() {
    RunInputs.Staged none = RunInputs.Staged.of("judgments", sink -> {});
    assertThat(none.count(), is(0L));
    assertThat(none.file(), nullValue());
  }

  @Test
  void promptsAreStagedInFileOrderUpToTheLimitAndTheRestIsNotRead() throws IOException {
    Path input = tmp.resolve("prompts.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      lines.add("{\"id\": " + i + ", \"prompt\": \"question " + i + "\", \"meta\": \"kept out\"}");
    }
    lines.add("not json: past the limit, never read");
    Files.write(input, lines);
    RunInputs.Staged staged = RunInputs.Staged.<Prompt>of("prompts", sink -> PromptFile.forEach(input, 600, sink));
    assertThat(staged.count(), is(600L));
    List<String> want = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      want.add(Json.line(new Prompt(Integer.toString(i), "question " + i, null)));
    }
    assertThat(Files.readAllLines(staged.file()), is(want));
    // Without the limit the bad last line is read, and named.
    InputException e = assertThrows(InputException.class, () -> RunInputs.Staged.<Prompt>of("prompts", sink -> PromptFile.forEach(input, 0, sink)));
    assertThat(e.line(), is(1_001L));
  }

  @Test
  void aDuplicateCandidateFailsWithBothLinesAndLeavesNoScratchFile() throws IOException {
    Path input = tmp.resolve("candidates.jsonl");
    Files.write(input, List.of(
        "{\"id\": \"a\", \"prompt_id\": \"p\", \"prompt\": \"q\", \"response\": \"r1\"}",
        "{\"id\": \"b\", \"prompt_id\": \"p\", \"prompt\": \"q\", \"response\": \"r2\"}",
        "{\"id\": \"a\", \"prompt_id\": \"p\", \"prompt\": \"q\", \"response\": \"r3\"}"));
    List<Path> before = scratchFiles("candidates");
    List<Candidate> seen = new ArrayList<>();
    InputException e =
        assertThrows(InputException.class, () -> RunInputs.Staged.<Candidate>of("candidates", sink -> CandidateFile.forEach(input, 0, c -> {
          seen.add(c);
          sink.accept(c);
        })));
    assertThat(e.line(), is(3L));
    assertThat(e.getMessage(), containsString("first on line 1"));
    assertThat(seen.size(), is(2)); // handed on one at a time, not after the whole file
    assertThat(seen.get(1).sample(), is(1)); // the order within the prompt, as before
    assertThat(scratchFiles("candidates"), is(before));
  }

  private static List<Path> scratchFiles() throws IOException {
    return scratchFiles("judgments");
  }

  private static List<Path> scratchFiles(String what) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("assay-" + what + "-")).sorted().toList();
    }
  }
}
