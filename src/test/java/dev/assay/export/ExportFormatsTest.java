package dev.assay.export;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every format, exported from hand-made pairs, read back as a trainer would and checked field by field. */
class ExportFormatsTest {
  @TempDir Path tmp;

  private ExportMetrics export(Path run, ExportFormat f) {
    return RunExport.run(new RunExport.Request(run, f, null, new TrainTestSplit(0.2, 42), "./assay export test"));
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void everyRowMatchesTheTrainersDocumentedFormat(ExportFormat f) {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(30), RunFixture.sft(12));
    ExportMetrics m = export(run, f);
    List<JsonNode> rows = TrainerFormatChecker.check(f.wire(), run.resolve("export").resolve(f.wire()));
    long expected = f == ExportFormat.KTO ? 60 : f.fromPairs() ? 30 : 12;
    assertThat((long) rows.size(), is(expected));
    assertThat(m.trainRows() + m.testRows(), is(expected));
    assertThat(m.records(), is(f.fromPairs() ? 30L : 12L));
  }

  @Test
  void conversationalKeepsTheSystemMessageFirstAndStandardCountsItDropped() throws IOException {
    PreferencePair p = RunFixture.pair("a", "Be terse.", "What is 2+2?", "4", "5", 0.9);
    PreferencePair q = RunFixture.pair("b", null, "Hi", "Hello!", "Go away.", 0.9);
    Path run = RunFixture.write(tmp.resolve("run"), List.of(p, q), List.of());
    TrainTestSplit none = new TrainTestSplit(0, 42);

    RunExport.run(new RunExport.Request(run, ExportFormat.TRL_CONVERSATIONAL, null, none, ""));
    Map<String, JsonNode> conv = byId(run.resolve("export/trl-conversational/train.jsonl"));
    assertThat(
        conv.get("a").toString(),
        is("{\"chosen\":[{\"content\":\"4\",\"role\":\"assistant\"}],\"id\":\"a\",\"prompt\":[{\"content\":\"Be"
            + " terse.\",\"role\":\"system\"},{\"content\":\"What is 2+2?\",\"role\":\"user\"}],\"rejected\":"
            + "[{\"content\":\"5\",\"role\":\"assistant\"}]}"));
    assertThat(conv.get("b").get("prompt").size(), is(1));

    ExportMetrics std = RunExport.run(new RunExport.Request(run, ExportFormat.TRL, null, none, ""));
    assertThat(std.systemMessagesDropped(), is(1L));
    assertThat(
        byId(run.resolve("export/trl/train.jsonl")).get("a").toString(),
        is("{\"chosen\":\"4\",\"id\":\"a\",\"prompt\":\"What is 2+2?\",\"rejected\":\"5\"}"));
    Map<String, JsonNode> meta = byId(run.resolve("export/trl/metadata.jsonl"));
    assertThat(meta.get("a").get("system_dropped").asBoolean(), is(true));
    assertThat(meta.get("b").has("system_dropped"), is(false));
  }

  @Test
  void ktoGivesADesirableAndAnUndesirableRowPerPair() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), List.of(RunFixture.pair("a", null, "Q", "good", "bad", 0.8)), List.of());
    RunExport.run(new RunExport.Request(run, ExportFormat.KTO, null, new TrainTestSplit(0, 1), ""));
    Map<String, JsonNode> rows = byId(run.resolve("export/kto/train.jsonl"));
    assertThat(rows.get("a/chosen").toString(), is("{\"completion\":\"good\",\"id\":\"a/chosen\",\"label\":true,\"prompt\":\"Q\"}"));
    assertThat(rows.get("a/rejected").toString(), is("{\"completion\":\"bad\",\"id\":\"a/rejected\",\"label\":false,\"prompt\":\"Q\"}"));
    Map<String, JsonNode> meta = byId(run.resolve("export/kto/metadata.jsonl"));
    assertThat(meta.get("a/chosen").get("pair_id").asText(), is("a"));
    assertThat(meta.get("a/rejected").get("side").asText(), is("rejected"));
  }

  @Test
  void sftFormsMatchTrlsDocumentedShapes() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), List.of(), RunFixture.sft(2));
    TrainTestSplit none = new TrainTestSplit(0, 1);
    RunExport.run(new RunExport.Request(run, ExportFormat.SFT, null, none, ""));
    assertThat(
        byId(run.resolve("export/sft/train.jsonl")).get("sft-0000").toString(),
        is("{\"id\":\"sft-0000\",\"messages\":[{\"content\":\"Be brief.\",\"role\":\"system\"},{\"content\":\"Prompt"
            + " 0\",\"role\":\"user\"},{\"content\":\"Completion 0\",\"role\":\"assistant\"}]}"));
    ExportMetrics pc = RunExport.run(new RunExport.Request(run, ExportFormat.SFT_PROMPT_COMPLETION, null, none, ""));
    assertThat(
        byId(run.resolve("export/sft-prompt-completion/train.jsonl")).get("sft-0001").toString(),
        is("{\"completion\":\"Completion 1\",\"id\":\"sft-0001\",\"prompt\":\"Prompt 1\"}"));
    assertThat(pc.systemMessagesDropped(), is(1L));
  }

  @Test
  void openRlhfRowsCarryNoMarginKey() {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(5), List.of());
    export(run, ExportFormat.OPENRLHF);
    for (JsonNode row : TrainerFormatChecker.check("openrlhf", run.resolve("export/openrlhf"))) {
      assertThat(row.has("margin"), is(false));
    }
  }

  @Test
  void theCheckerRejectsWhatATrainerWouldReject() {
    assertThrows(AssertionError.class, () -> checkKto("{\"completion\":\"c\",\"id\":\"x\",\"label\":\"true\",\"prompt\":\"p\"}"));
    assertThrows(AssertionError.class, () -> checkKto("{\"completion\":\"c\",\"id\":\"x\",\"label\":1,\"prompt\":\"p\"}"));
    assertThrows(AssertionError.class, () -> checkKto("{\"completion\":null,\"id\":\"x\",\"label\":true,\"prompt\":\"p\"}"));
    assertThrows(AssertionError.class, () -> checkKto("{\"completion\":\"c\",\"id\":\"x\",\"label\":true,\"prompt\":\"p\",\"extra\":1}"));
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                TrainerFormatChecker.checkRow(
                    "trl-conversational",
                    Json.parse(
                        "{\"id\":\"x\",\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],\"chosen\":[{\"role\":\"user\","
                            + "\"content\":\"a\"}],\"rejected\":[{\"role\":\"assistant\",\"content\":\"b\"}]}",
                        JsonNode.class),
                    "row"));
    assertThat(e.getMessage(), containsString("chosen[0]: role \"user\" not in [assistant]"));
    assertThrows(
        AssertionError.class,
        () ->
            TrainerFormatChecker.checkRow(
                "trl-conversational",
                Json.parse(
                    "{\"id\":\"x\",\"prompt\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"system\",\"content\":"
                        + "\"s\"}],\"chosen\":[{\"role\":\"assistant\",\"content\":\"a\"}],\"rejected\":[{\"role\":"
                        + "\"assistant\",\"content\":\"b\"}]}",
                    JsonNode.class),
                "row"));
  }

  @Test
  void aRerunWritesIdenticalBytes() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(20), RunFixture.sft(3));
    export(run, ExportFormat.TRL_CONVERSATIONAL);
    String first = Files.readString(run.resolve("export/trl-conversational/train.jsonl"))
        + Files.readString(run.resolve("export/trl-conversational/metadata.jsonl"))
        + Files.readString(run.resolve("export/README.md"));
    export(run, ExportFormat.TRL_CONVERSATIONAL);
    String second = Files.readString(run.resolve("export/trl-conversational/train.jsonl"))
        + Files.readString(run.resolve("export/trl-conversational/metadata.jsonl"))
        + Files.readString(run.resolve("export/README.md"));
    assertThat(second, equalTo(first));
  }

  private static void checkKto(String json) {
    TrainerFormatChecker.checkRow("kto", Json.parse(json, JsonNode.class), "row");
  }

  static Map<String, JsonNode> byId(Path file) {
    return TrainerFormatChecker.read(file).stream().collect(Collectors.toMap(n -> n.get("id").asText(), n -> n));
  }
}
