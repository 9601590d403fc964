package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** Imported judgments are checked and staged line by line: the driver never holds them, and bad input leaves nothing. */
class StagedJudgmentsTest {
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
    RecipeRunner.StagedJudgments staged = RecipeRunner.StagedJudgments.of(sink -> JudgmentImport.forEach(input, sink));
    assertThat(staged.count(), is(2_000L));
    assertThat(Files.readAllLines(staged.file()), is(judgments.stream().map(Json::line).toList()));
  }

  @Test
  void aBadLineFailsWithItsLineAndLeavesNoScratchFile() throws IOException {
    Path input = tmp.resolve("in.jsonl");
    Files.write(input, List.of(Json.line(judgment(1)), Json.line(judgment(2)), "{\"id\": \"x\"}"));
    List<Path> before = scratchFiles();
    InputException e =
        assertThrows(InputException.class, () -> RecipeRunner.StagedJudgments.of(sink -> JudgmentImport.forEach(input, sink)));
    assertThat(e.line(), is(3L));
    assertThat(scratchFiles(), is(before));
  }

  @Test
  void noJudgmentsStageNoFile() {
    RecipeRunner.StagedJudgments none = RecipeRunner.StagedJudgments.of(sink -> {});
    assertThat(none.count(), is(0L));
    assertThat(none.file(), nullValue());
  }

  private static List<Path> scratchFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("assay-judgments-")).sorted().toList();
    }
  }
}
