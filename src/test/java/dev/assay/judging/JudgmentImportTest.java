package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.InputException;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JudgmentImportTest {
  @TempDir Path tmp;

  private static Judgment absolute(String id, int sample, Integer score) {
    return new Judgment(
        id, "p1", JudgmentKind.ABSOLUTE, "j", "m", "absolute@0123456789ab", "p1/m/0", null, sample,
        score == null ? JudgmentStatus.UNPARSEABLE : JudgmentStatus.OK, score, null, score == null ? null : "ok",
        "raw", ReferenceMode.GIVEN, "h", "llm", score == null ? "no score found" : null);
  }

  private static Judgment pairwise(String id) {
    return new Judgment(
        id, "p1", JudgmentKind.PAIRWISE, "j", "m", null, "p1/m/0", "p1/m/1", 0, JudgmentStatus.OK, null, Verdict.TIE,
        "same", "[RESULT] tie", ReferenceMode.NONE, null, "import:x.jsonl", null);
  }

  private Path write(String name, String... lines) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  @Test
  void readsWhatTheJudgingStageWrites() throws IOException {
    List<Judgment> written = List.of(absolute("a/0", 0, 4), absolute("a/1", 1, null), pairwise("b/0"));
    Path file = write("j.jsonl", written.stream().map(Json::line).toArray(String[]::new));
    assertThat(JudgmentImport.read(file), is(written));
    assertThat(Json.line(pairwise("b/0")), containsString("\"verdict\":\"tie\""));
  }

  @Test
  void readsGzipAndSkipsBlankLines() throws IOException {
    Path gz = tmp.resolve("j.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write((Json.line(absolute("a/0", 0, 4)) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
    assertThat(JudgmentImport.read(gz).size(), is(1));
  }

  @Test
  void duplicateIdsNameBothLines() throws IOException {
    Path file = write("d.jsonl", Json.line(absolute("a/0", 0, 4)), Json.line(pairwise("b/0")), Json.line(absolute("a/0", 1, 3)));
    InputException e = assertThrows(InputException.class, () -> JudgmentImport.read(file));
    assertThat(e.line(), is(3L));
    assertThat(e.field(), is("id"));
    assertThat(e.getMessage(), containsString("first on line 1"));
  }

  private InputException bad(String line) throws IOException {
    Path file = write("b.jsonl", Json.line(absolute("ok/0", 0, 4)), line);
    InputException e = assertThrows(InputException.class, () -> JudgmentImport.read(file));
    assertThat(e.file(), is(file.toString()));
    assertThat(e.line(), is(2L));
    return e;
  }

  @Test
  void badLinesNameFileLineAndField() throws IOException {
    String good = Json.line(absolute("x/0", 0, 4));
    assertThat(bad(good.replace("\"item_id\":\"p1\",", "")).field(), is("item_id"));
    assertThat(bad(good.replace("\"sample\":0,", "")).field(), is("sample"));
    assertThat(bad(good.replace("\"score\":4", "\"score\":4,\"confidence\":0.9")).field(), is("confidence"));
    InputException status = bad(good.replace("\"status\":\"ok\"", "\"status\":\"okay\""));
    assertThat(status.field(), is("status"));
    assertThat(status.getMessage(), containsString("ok, unparseable, refused, truncated, failed"));
    assertThat(bad(good.replace("\"score\":4", "\"score\":\"four\"")).field(), is("score"));
    InputException negative = bad(good.replace("\"sample\":0", "\"sample\":-1"));
    assertThat(negative.field(), is("sample"));
    assertThat(negative.getMessage(), containsString("sample must be >= 0"));
    assertThat(bad(good.replace("\"status\":\"ok\"", "\"status\":\"refused\"")).getMessage(), containsString("carries a result"));
    assertThat(bad(good.replace("\"kind\":\"absolute\"", "\"kind\":\"pairwise\"")).getMessage(), containsString("no candidate B"));
    assertThat(bad("{\"id\": ").getMessage(), containsString("malformed JSON"));
    assertThat(bad("[1, 2]").getMessage(), containsString("JSON object"));
  }

  @Test
  void emptyOrMissingFiles() throws IOException {
    Path empty = write("e.jsonl", "");
    assertThat(assertThrows(InputException.class, () -> JudgmentImport.read(empty)).getMessage(), containsString("no records"));
    assertThat(
        assertThrows(InputException.class, () -> JudgmentImport.read(tmp.resolve("absent.jsonl"))).getMessage(),
        containsString("not found"));
  }
}
