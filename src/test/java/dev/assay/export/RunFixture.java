package dev.assay.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.SftExample;
import dev.assay.io.Json;
import dev.assay.run.FileHash;
import dev.assay.run.RunManifest;
import dev.assay.run.StageCount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-made run folder: manifest, pairs, SFT examples and rejected records, written as a run would write them. */
public final class RunFixture {
  public static final String RUN_ID = "fixture-20261201T000000Z-abcd1234";

  private RunFixture() {}

  /** A pair with scores and evidence; {@code system} may be null. */
  public static PreferencePair pair(String id, String system, String prompt, String chosen, String rejected, double c) {
    return new PreferencePair(
        id,
        "policy",
        "p-" + id,
        prompt,
        system,
        chosen,
        rejected,
        id + "/c",
        id + "/r",
        4.5,
        2.0,
        2.5,
        c,
        List.of("judge", "implicit"),
        Map.of("judge", 0.9, "implicit", 0.7),
        1,
        RUN_ID);
  }

  /** Pairs with awkward text: unicode, newlines, quotes, an empty system, a system message. */
  public static List<PreferencePair> pairs(int n) {
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("pair-%04d", i);
      String system = i % 3 == 0 ? "You are a careful assistant. \"Quote\" and\nnewline" : i % 3 == 1 ? null : "";
      out.add(pair(id, system, "Question " + i + ": café ñ 日本語 — \"why\"?\n", "Good answer " + i, "Bad answer " + i,
          0.5 + (i % 5) / 10.0));
    }
    return out;
  }

  /**
   * Pairs whose text stresses a writer and a reader: empty strings in every text field, an empty and a missing system
   * message, astral-plane emoji, right-to-left and combining marks, control characters (NUL, tab, CR), JSON escapes,
   * and strings of several megabytes (larger than a Parquet page).
   */
  public static List<PreferencePair> edgeCasePairs() {
    String big = "long answer ✓ ".repeat(200_000);
    return List.of(
        pair("edge-empty", "", "", "", "", 0.5),
        pair("edge-emoji", "🤖 system 🧪", "emoji 😀👍🏽 👨‍👩‍👧 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "✅ chosen", "❌ rejected", 0.6),
        pair("edge-rtl", null, "שלום עולם مرحبا e\u0301 ñ", "Ελληνικά 日本語", "한국어 русский", 0.7),
        pair("edge-control", "tab\there", "nul\u0000char and cr\r\n and \"quotes\" \\ backslash", "a\u0001b", "{\"json\": [1]}",
            0.8),
        pair("edge-large", null, "x".repeat(1 << 20), big, "short", 0.9),
        pair("edge-plain", null, "Plain prompt", "Chosen", "Rejected", 1.0));
  }

  /** SFT examples with the same kinds of awkward text as {@link #edgeCasePairs()}. */
  public static List<SftExample> edgeCaseSft() {
    return List.of(
        new SftExample("sft-empty", "policy", "p-e", "", "", "", 4.0, 1, RUN_ID),
        new SftExample("sft-emoji", "policy", "p-u", "emoji 😀 𝔘𝔫𝔦", null, "ok ✓ \u0000", 4.0, 1, RUN_ID),
        new SftExample("sft-large", "policy", "p-l", "y".repeat(1 << 20), "Be brief.", "z".repeat(3 << 20), 5.0, 1, RUN_ID),
        new SftExample("sft-plain", "policy", "p-p", "Prompt", null, "Completion", 4.5, 1, RUN_ID));
  }

  public static List<SftExample> sft(int n) {
    List<SftExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new SftExample(String.format("sft-%04d", i), "policy", "p-" + i, "Prompt " + i,
          i % 2 == 0 ? "Be brief." : null, "Completion " + i, 4.0 + (i % 2), 1, RUN_ID));
    }
    return out;
  }

  /** Writes a run folder with a simulator note, stages, a licence in the recipe and two rejected files. */
  public static Path write(Path dir, List<PreferencePair> pairs, List<SftExample> sft) {
    try {
      Files.createDirectories(dir);
      Path input = dir.resolve("prompts.jsonl");
      Files.writeString(input, "{\"id\": \"p1\", \"prompt\": \"hi\"}\n");
      writeLines(dir.resolve("pairs/pairs.jsonl"), pairs.stream().map(Json::line).sorted().toList());
      writeLines(dir.resolve("sft/sft.jsonl"), sft.stream().map(Json::line).sorted().toList());
      writeLines(
          dir.resolve("rejected/dedupe.jsonl"),
          List.of(
              "{\"id\":\"p7\",\"reason\":\"duplicate_exact\",\"kept_id\":\"p1\"}",
              "{\"id\":\"p8\",\"reason\":\"duplicate_near\",\"kept_id\":\"p2\",\"jaccard\":0.85}",
              "{\"id\":\"p9\",\"reason\":\"duplicate_near\",\"kept_id\":\"p2\",\"jaccard\":0.9}"));
      writeLines(dir.resolve("rejected/consensus.jsonl"), List.of("{\"id\":\"x\",\"reason\":\"models_disagree\"}"));
      Map<String, StageCount> stages = new LinkedHashMap<>();
      stages.put("generate", new StageCount(40, 40, 0, 0, Map.of()));
      stages.put("dedupe", new StageCount(12, 9, 3, 0, Map.of("duplicate_exact", 1L, "duplicate_near", 2L)));
      stages.put("consensus", new StageCount(9, 8, 1, 0, Map.of("models_disagree", 1L)));
      JsonNode config = Json.mapper().readTree("{\"input\": {\"path\": \"prompts.jsonl\", \"license\": \"CC-BY-4.0\"}}");
      RunManifest manifest =
          new RunManifest(
              RUN_ID,
              "fixture",
              "complete",
              "2026-12-01T00:00:00Z",
              "2026-12-01T00:01:00Z",
              "./assay run pipelines/fixture.yaml --run-dir " + dir,
              config,
              "cafe",
              List.of(FileHash.of(input)),
              List.of(),
              List.of(),
              42L,
              Map.of("assay", "0.1.0-test", "java", "17"),
              stages,
              Map.of(),
              null,
              null,
              List.of("simulated: the embedded simulator answered every request"),
              1,
              null,
              List.of(),
              List.of(),
              dev.assay.run.RunCosts.of(List.of(new dev.assay.run.RunCosts.StageCost("generate", "policy", 10, 500, 1000, 0.25)), 4));
      Files.writeString(dir.resolve("manifest.json"), Json.pretty(manifest), StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeLines(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l).append('\n'));
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }
}
