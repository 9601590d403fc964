package dev.assay.export;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.curation.pairs.PreferencePair;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The split is a function of (id, seed) only: deterministic, stable when pairs are added, shared by KTO rows. */
class TrainTestSplitTest {
  @TempDir Path tmp;

  @Test
  void theSameIdAlwaysLandsOnTheSameSide() {
    TrainTestSplit a = new TrainTestSplit(0.3, 7);
    TrainTestSplit b = new TrainTestSplit(0.3, 7);
    for (int i = 0; i < 1000; i++) {
      assertThat(a.isTest("id-" + i), is(b.isTest("id-" + i)));
    }
  }

  @Test
  void theTestShareIsTheFractionInExpectation() {
    TrainTestSplit split = new TrainTestSplit(0.05, 42);
    int test = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      test += split.isTest("pair-" + i) ? 1 : 0;
    }
    // Binomial(20000, 0.05): sd = 30.8; 5 sd is 154.
    assertThat((double) test, closeTo(1000, 154));
    assertThat(new TrainTestSplit(0, 42).isTest("anything"), is(false));
  }

  @Test
  void anotherSeedGivesAnotherSplit() {
    TrainTestSplit a = new TrainTestSplit(0.5, 1);
    TrainTestSplit b = new TrainTestSplit(0.5, 2);
    int differ = 0;
    for (int i = 0; i < 200; i++) {
      differ += a.isTest("x" + i) != b.isTest("x" + i) ? 1 : 0;
    }
    assertThat(differ, greaterThan(50));
  }

  @Test
  void fractionsOutsideZeroToOneAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TrainTestSplit(1.0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TrainTestSplit(-0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new TrainTestSplit(Double.NaN, 1));
  }

  @Test
  void addingPairsNeverMovesAnExistingPair() {
    List<PreferencePair> all = RunFixture.pairs(300);
    Path small = RunFixture.write(tmp.resolve("small"), all.subList(0, 200), List.of());
    Path big = RunFixture.write(tmp.resolve("big"), all, List.of());
    TrainTestSplit split = new TrainTestSplit(0.25, 42);
    RunExport.run(new RunExport.Request(small, ExportFormat.TRL, null, split, ""));
    RunExport.run(new RunExport.Request(big, ExportFormat.TRL, null, split, ""));
    Map<String, String> before = sides(small.resolve("export/trl"));
    Map<String, String> after = sides(big.resolve("export/trl"));
    assertThat(after.size(), is(300));
    for (var e : before.entrySet()) {
      assertThat(e.getKey(), after.get(e.getKey()), equalTo(e.getValue()));
    }
    assertThat("both sides are used", new HashSet<>(before.values()).size(), is(2));
  }

  @Test
  void bothKtoRowsOfAPairShareASideAndThatSideIsThePairsSide() {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(100), List.of());
    TrainTestSplit split = new TrainTestSplit(0.3, 42);
    RunExport.run(new RunExport.Request(run, ExportFormat.KTO, null, split, ""));
    RunExport.run(new RunExport.Request(run, ExportFormat.TRL, null, split, ""));
    Map<String, String> trl = sides(run.resolve("export/trl"));
    Map<String, String> kto = sides(run.resolve("export/kto"));
    for (var e : trl.entrySet()) {
      assertThat(kto.get(e.getKey() + "/chosen"), is(e.getValue()));
      assertThat(kto.get(e.getKey() + "/rejected"), is(e.getValue()));
    }
  }

  @Test
  void theSidecarJoinsOneToOneWithTheRowsAndCarriesTheDroppedColumns() {
    List<PreferencePair> pairs = RunFixture.pairs(40);
    Path run = RunFixture.write(tmp.resolve("run"), pairs, List.of());
    for (ExportFormat f : List.of(ExportFormat.TRL, ExportFormat.TRL_CONVERSATIONAL, ExportFormat.OPENRLHF, ExportFormat.KTO)) {
      RunExport.run(new RunExport.Request(run, f, null, new TrainTestSplit(0.2, 42), ""));
      Path dir = run.resolve("export").resolve(f.wire());
      List<JsonNode> rows = TrainerFormatChecker.check(f.wire(), dir);
      List<JsonNode> meta = TrainerFormatChecker.read(dir.resolve("metadata.jsonl"));
      Set<String> rowIds = new HashSet<>();
      rows.forEach(r -> rowIds.add(r.get("id").asText()));
      Map<String, JsonNode> metaById = new HashMap<>();
      for (JsonNode m : meta) {
        assertThat("sidecar ids are unique", metaById.put(m.get("id").asText(), m) == null, is(true));
      }
      assertThat(f.wire(), metaById.keySet(), equalTo(rowIds));
      Map<String, PreferencePair> byPair = new HashMap<>();
      pairs.forEach(p -> byPair.put(p.id(), p));
      for (JsonNode m : meta) {
        PreferencePair p = byPair.get(m.get("pair_id").asText());
        assertThat(m.get("margin").asDouble(), is(p.margin()));
        assertThat(m.get("chosen_score").asDouble(), is(p.chosenScore()));
        assertThat(m.get("consistency").asDouble(), is(p.consistency()));
        assertThat(m.get("agreement").get("judge").asDouble(), is(0.9));
        assertThat(m.get("agreed_models").size(), is(2));
        assertThat(m.get("iteration").asInt(), is(1));
        assertThat(m.get("run_id").asText(), is(RunFixture.RUN_ID));
        assertThat(m.get("split").asText(), is(new TrainTestSplit(0.2, 42).side(p.id())));
      }
    }
  }

  @Test
  void theSftSidecarJoinsOneToOne() {
    Path run = RunFixture.write(tmp.resolve("run"), List.of(), RunFixture.sft(25));
    RunExport.run(new RunExport.Request(run, ExportFormat.SFT, null, new TrainTestSplit(0.3, 42), ""));
    Path dir = run.resolve("export/sft");
    Set<String> rowIds = new HashSet<>();
    TrainerFormatChecker.check("sft", dir).forEach(r -> rowIds.add(r.get("id").asText()));
    Set<String> metaIds = new HashSet<>();
    for (JsonNode m : TrainerFormatChecker.read(dir.resolve("metadata.jsonl"))) {
      metaIds.add(m.get("id").asText());
      assertThat(m.get("score").isNumber(), is(true));
    }
    assertThat(metaIds, equalTo(rowIds));
    assertThat(rowIds.size(), is(25));
  }

  private static Map<String, String> sides(Path formatDir) {
    Map<String, String> out = new HashMap<>();
    TrainerFormatChecker.read(formatDir.resolve("train.jsonl")).forEach(r -> out.put(r.get("id").asText(), "train"));
    TrainerFormatChecker.read(formatDir.resolve("test.jsonl")).forEach(r -> out.put(r.get("id").asText(), "test"));
    return out;
  }
}
