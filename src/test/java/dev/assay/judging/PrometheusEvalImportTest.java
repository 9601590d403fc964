package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.generation.Candidate;
import dev.assay.generation.Prompt;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusEvalImportTest {
  @TempDir Path tmp;

  private static Path data(String file) {
    return SharedData.require("prometheus-eval").resolve(file);
  }

  /**
   * Every published item becomes one candidate and three judgments, with every score and rationale carried over
   * exactly (compared with the file read independently), and the published within-judge agreement holds.
   */
  @ParameterizedTest
  @CsvSource({"mt_bench_eval.json, 141", "vicuna_eval.json, 199"})
  void importsEveryJudgment(String fileName, int allThreeAgree) throws IOException {
    Path file = data(fileName);
    PrometheusEvalImport.Result r = PrometheusEvalImport.read(file);
    String stem = fileName.replace(".json", "");

    assertThat(r.items(), hasSize(320));
    assertThat(r.candidates(), hasSize(320));
    assertThat(r.judgments(), hasSize(960));
    assertThat(r.prompts(), hasSize(80));
    assertThat(r.candidates().stream().map(Candidate::model).distinct().count(), is(4L));
    assertThat(r.judgments().stream().map(Judgment::id).collect(Collectors.toSet()), hasSize(960));
    assertThat(r.candidates().stream().map(Candidate::id).collect(Collectors.toSet()), hasSize(320));

    JsonNode raw = Json.mapper().readTree(file.toFile());
    Map<String, Judgment> byId = r.judgments().stream().collect(Collectors.toMap(Judgment::id, Function.identity()));
    Set<String> promptIds = r.prompts().stream().map(Prompt::id).collect(Collectors.toSet());
    for (int i = 0; i < raw.size(); i++) {
      JsonNode item = raw.get(i);
      String promptId = stem + "/" + item.get("idx").asInt();
      String candidateId = promptId + "/" + item.get("response_source").asText() + "/0";
      assertThat(promptIds.contains(promptId), is(true));
      for (int k = 0; k < 3; k++) {
        Judgment j = byId.get("gpt-4/" + candidateId + "/" + k);
        assertThat("item " + i + " sample " + k, j.score(), is(item.get("gpt4_score").get(k).asInt()));
        assertThat(j.rationale(), is(item.get("gpt4_feedback").get(k).asText()));
        assertThat(j.itemId(), is(promptId));
        assertThat(j.candidateA(), is(candidateId));
        assertThat(j.sample(), is(k));
        assertThat(j.kind(), is(JudgmentKind.ABSOLUTE));
        assertThat(j.judge(), is("gpt-4"));
        assertThat(j.model(), is("gpt-4"));
        assertThat(j.status(), is(JudgmentStatus.OK));
        assertThat(j.referenceMode(), is(ReferenceMode.GIVEN));
        assertThat(j.source(), is("import:" + fileName));
      }
      PrometheusEvalImport.Item parsed = r.items().get(i);
      String prompt = item.get("instruction").asText();
      assertThat(prompt.contains("###The instruction to evaluate:\n" + parsed.instruction() + "\n\n###Response to evaluate:\n"
          + parsed.response() + "\n\n###Reference Answer (Score 5):\n" + parsed.reference() + "\n\n###Score Rubrics:\n"
          + parsed.rubric().render() + "\n\n###Feedback:"), is(true));
      assertThat(r.candidates().get(i).response(), is(parsed.response()));
      assertThat(r.candidates().get(i).prompt(), is(parsed.instruction()));
      assertThat(r.candidates().get(i).reference(), is(parsed.reference()));
    }

    Map<String, List<Integer>> scoresByCandidate =
        r.judgments().stream()
            .collect(Collectors.groupingBy(Judgment::candidateA, Collectors.mapping(Judgment::score, Collectors.toList())));
    long agree = scoresByCandidate.values().stream().filter(s -> new HashSet<>(s).size() == 1).count();
    assertThat(agree, is((long) allThreeAgree));
  }

  @Test
  void mtBenchPromptsDifferPerModelAndCandidatesKeepTheirOwn() {
    PrometheusEvalImport.Result r = PrometheusEvalImport.read(data("mt_bench_eval.json"));
    // Second turns: the dialogue includes each model's own first answer.
    long distinct = r.candidates().stream().map(Candidate::prompt).distinct().count();
    assertThat(distinct > 300, is(true));
    PrometheusEvalImport.Result v = PrometheusEvalImport.read(data("vicuna_eval.json"));
    assertThat(v.candidates().stream().map(Candidate::prompt).distinct().count(), is(80L));
  }

  private Path writeItems(JsonNode items) throws IOException {
    Path p = tmp.resolve("bad_eval.json");
    Files.writeString(p, Json.pretty(items));
    return p;
  }

  private static ObjectNode goodItem() {
    ObjectNode item = Json.mapper().createObjectNode();
    item.put("idx", 7);
    item.put("response_source", "model_x");
    item.put("category", "writing");
    item.put(
        "instruction",
        "###Task Description:\nGrade it.\n\n###The instruction to evaluate:\nSay hi.\n\n###Response to evaluate:\nHi.\n\n"
            + "###Reference Answer (Score 5):\nHello!\n\n###Score Rubrics:\n[Friendly?]\nScore 1: no\nScore 2: barely\n"
            + "Score 3: somewhat\nScore 4: mostly\nScore 5: yes\n\n###Feedback: ");
    item.putArray("gpt4_score").add(3).add(4).add(3);
    item.putArray("gpt4_feedback").add("a").add("b").add("c");
    return item;
  }

  @Test
  void smallFileReadsAndAcceptsScoresWrittenAsAString() throws IOException {
    ArrayNode items = Json.mapper().createArrayNode();
    ObjectNode item = goodItem();
    item.put("gpt4_score", "[3, 4, 3]");
    items.add(item);
    PrometheusEvalImport.Result r = PrometheusEvalImport.read(writeItems(items));
    assertThat(r.judgments().stream().map(Judgment::score).toList(), is(List.of(3, 4, 3)));
    assertThat(r.judgments().get(0).id(), is("gpt-4/bad_eval/7/model_x/0/0"));
    assertThat(r.items().get(0).rubric().criteria(), is("Friendly?"));
    assertThat(r.prompts().get(0), is(new Prompt("bad_eval/7", "Say hi.", "Hello!")));
  }

  @Test
  void noReferenceMeansReferenceModeNone() throws IOException {
    ArrayNode items = Json.mapper().createArrayNode();
    ObjectNode item = goodItem();
    item.put("instruction", item.get("instruction").asText().replace("\n\n###Reference Answer (Score 5):\nHello!", ""));
    items.add(item);
    PrometheusEvalImport.Result r = PrometheusEvalImport.read(writeItems(items));
    assertThat(r.judgments().get(0).referenceMode(), is(ReferenceMode.NONE));
    assertThat(r.candidates().get(0).reference(), nullValue());
  }

  /** Breaks the second item of a two-item file and expects the error to name the field, the item and its line. */
  private InputException breakSecond(java.util.function.Consumer<ObjectNode> damage) throws IOException {
    ArrayNode items = Json.mapper().createArrayNode();
    items.add(goodItem());
    ObjectNode second = goodItem();
    second.put("response_source", "model_y");
    damage.accept(second);
    items.add(second);
    Path file = writeItems(items);
    InputException e = assertThrows(InputException.class, () -> PrometheusEvalImport.read(file));
    assertThat(e.file(), is(file.toString()));
    assertThat(e.getMessage(), containsString("item 1"));
    String text = Files.readString(file);
    long secondItemLine = text.substring(0, text.indexOf("}, {")).lines().count() + 1;
    assertThat(e.line(), is(secondItemLine));
    return e;
  }

  @Test
  void malformedItemsNameFileItemAndField() throws IOException {
    assertThat(breakSecond(i -> i.remove("gpt4_feedback")).field(), is("gpt4_feedback"));
    assertThat(breakSecond(i -> i.put("idx", "seven")).field(), is("idx"));
    assertThat(breakSecond(i -> i.put("gpt4_score", 3)).field(), is("gpt4_score"));
    assertThat(breakSecond(i -> i.putArray("gpt4_score").add(3).add("x").add(3)).field(), is("gpt4_score"));
    assertThat(breakSecond(i -> i.putArray("gpt4_score").add(3).add(6).add(3)).getMessage(), containsString("outside"));
    assertThat(breakSecond(i -> i.putArray("gpt4_feedback").add("a")).getMessage(), containsString("1 rationales for 3 scores"));
    assertThat(breakSecond(i -> i.put("instruction", "Grade this.")).field(), is("instruction"));
    assertThat(breakSecond(i -> i.put("extra", 1)).field(), is("extra"));
    assertThat(breakSecond(i -> i.put("response_source", "model_x")).getMessage(), containsString("listed twice"));
    assertThat(breakSecond(i -> i.putArray("instruction")).getMessage(), containsString("expected a string"));
  }

  @Test
  void malformedJsonAndEmptyFiles() throws IOException {
    Path bad = tmp.resolve("x.json");
    Files.writeString(bad, "[\n  {\"idx\": 1,\n");
    assertThat(assertThrows(InputException.class, () -> PrometheusEvalImport.read(bad)).getMessage(), containsString("malformed JSON"));
    Files.writeString(bad, "[]");
    assertThat(assertThrows(InputException.class, () -> PrometheusEvalImport.read(bad)).getMessage(), containsString("no items"));
    Files.writeString(bad, "{}");
    assertThat(assertThrows(InputException.class, () -> PrometheusEvalImport.read(bad)).getMessage(), containsString("array"));
    assertThat(
        assertThrows(InputException.class, () -> PrometheusEvalImport.read(tmp.resolve("absent.json"))).getMessage(),
        containsString("not found"));
  }
}
