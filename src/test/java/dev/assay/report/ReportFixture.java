package dev.assay.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Verdict;
import dev.assay.rewards.PairPreference;
import dev.assay.run.EndpointUsage;
import dev.assay.run.RunDirectory;
import dev.assay.run.RunManifest;
import dev.assay.run.StageCount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small hand-built run directories for report tests: every chart has data, or none does. */
public final class ReportFixture {
  private ReportFixture() {}

  /**
   * A run with candidates, judgments (absolute and both-order pairwise), preferences and pairs; consistency from
   * iteration 1 on.
   */
  public static Path full(Path dir, int iteration) {
    List<Candidate> candidates = new ArrayList<>();
    List<Judgment> judgments = new ArrayList<>();
    List<PairPreference> prefs = new ArrayList<>();
    List<PreferencePair> pairs = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      String prompt = "q" + p;
      for (int c = 0; c < 3; c++) {
        String id = prompt + "/m/" + c;
        candidates.add(new Candidate(id, prompt, "Say <something> & more", null,
            "word ".repeat(5 + 10 * c + p).strip(), "m", c, "stop", null));
        for (String judge : List.of("self", "previous")) {
          for (int s = 0; s < 2; s++) {
            boolean ok = !(p == 0 && s == 1);
            judgments.add(new Judgment(judge + "/" + id + "/" + s, prompt, JudgmentKind.ABSOLUTE, judge, "m", "t@1",
                id, null, s, ok ? JudgmentStatus.OK : JudgmentStatus.UNPARSEABLE,
                ok ? Math.min(5, 1 + c + (s + iteration + p) % 3) : null, null, "", "", ReferenceMode.NONE, null,
                "llm", ok ? null : "no score"));
          }
        }
      }
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          if (a != b) {
            String ida = prompt + "/m/" + a;
            String idb = prompt + "/m/" + b;
            Verdict v = (a + b + p) % 4 == 0 ? Verdict.A : a > b ? Verdict.A : Verdict.B;
            judgments.add(new Judgment("pairwise/" + ida + "/" + idb + "/0", prompt, JudgmentKind.PAIRWISE,
                "pairwise", "m", "p@1", ida, idb, 0, JudgmentStatus.OK, null, v, "", "", ReferenceMode.NONE, null,
                "llm", null));
          }
          if (a < b) {
            String first = prompt + "/m/" + a;
            String second = prompt + "/m/" + b;
            prefs.add(new PairPreference("judge-self", prompt, first, second, 0.1, 4, 0));
            prefs.add(new PairPreference("pairwise-self", prompt, first, second, (a + p) % 3 == 0 ? 0.8 : 0.2, 2, 0));
            prefs.add(new PairPreference("implicit", prompt, first, second, p % 2 == 0 ? 0.4 : 0.5, 1, 0));
          }
        }
      }
      pairs.add(new PreferencePair(prompt + "/pair", "policy", prompt, "Say something", null, "long answer",
          "short", prompt + "/m/2", prompt + "/m/0", 4, 4 - 0.5 - p * 0.4, 0.5 + p * 0.4, 0.8, List.of("judge-self"),
          Map.of("judge-self", 1.0), iteration, "run-" + iteration));
    }
    writeLines(dir.resolve("candidates/candidates.jsonl"), candidates);
    writeLines(dir.resolve("judgments/judgments.jsonl"), judgments);
    writeLines(dir.resolve("rewards/preferences.jsonl"), prefs);
    writeLines(dir.resolve("pairs/pairs.jsonl"), pairs);
    JsonNode consistency = Json.mapper().valueToTree(Map.of(
        "consistency", 0.7 + 0.05 * iteration, "defined", 6, "undefined", 0, "histogram",
        List.of(0, 0, 0, 0, 1, 1, 1, 1, 1, 1)));
    // Iteration 0 has no predecessor, so (as in a real run) no consistency was measured.
    boolean first = iteration == 0;
    manifest(dir, "run-" + iteration, first ? null : consistency, first ? null : 0.3 - 0.05 * iteration,
        List.of("simulated: fixture", "simulated truth: chosen truly better in unfiltered 80.0% (4/5)"));
    return dir;
  }

  /** A run with nothing but a manifest without stages: every chart is "not measured". */
  public static Path bare(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    new RunDirectory(dir).writeManifest(new RunManifest("bare-run", "demo", "complete", "2026-01-01T00:00:00Z", null,
        "./assay run x", null, null, List.of(), List.of(), List.of(), 1, Map.of(), Map.of(), Map.of(), null, null,
        List.of(), null, null, null, null, null));
    return dir;
  }

  private static void manifest(Path dir, String runId, JsonNode consistency, Double smoothing, List<String> notes) {
    JsonNode config = Json.mapper().valueToTree(Map.of(
        "consensus", Map.of("primary", "judge-self"),
        "reward_models", List.of(Map.of("name", "judge-self", "type", "judge", "judge", "self"))));
    Map<String, StageCount> stages = Map.of(
        "generate", new StageCount(18, 18, 0, 0, Map.of()),
        "judge.self", new StageCount(36, 35, 1, 0, Map.of("unparseable", 1L)),
        "consensus", new StageCount(6, 6, 0, 0, Map.of()),
        "pairs", new StageCount(6, 5, 1, 0, Map.of("length", 1L)));
    new RunDirectory(dir).writeManifest(new RunManifest(runId, "demo", "complete", "2026-01-01T00:00:00Z",
        "2026-01-01T00:01:00Z", "./assay demo <x>", config, "h", List.of(), List.of(), List.of(), 42,
        Map.of("assay", "test"), stages,
        Map.of("judge", new EndpointUsage("sim-m1", 100, 2, 1, 0, 1000, 200, 0.5, List.of("sim-m1"))), consistency, smoothing, notes, null, null, null, null,
        dev.assay.run.RunCosts.of(List.of(new dev.assay.run.RunCosts.StageCost("judge.self", "judge", 100, 1000, 200, 0.5)), 5)));
  }

  static void writeLines(Path file, List<?> records) {
    try {
      Files.createDirectories(file.getParent());
      StringBuilder sb = new StringBuilder();
      for (Object r : records) {
        sb.append(Json.line(r)).append('\n');
      }
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
