package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A run directory read back as a user would, and the accounting checked from the files alone: this is the
 * independent side of the invariant the runner prints ({@code in = out + rejected + failed}).
 */
final class RunFiles {
  static final String GENERATE = "generate";
  static final String JUDGE = "judge.self";

  final Path dir;
  final List<JsonNode> candidates;
  final List<JsonNode> judgments;
  final List<JsonNode> failures;
  final JsonNode manifest;

  private RunFiles(Path dir) {
    this.dir = dir;
    this.candidates = lines(dir.resolve("candidates/candidates.jsonl"));
    this.judgments = lines(dir.resolve("judgments/judgments.jsonl"));
    this.failures = lines(dir.resolve("failures/failures.jsonl"));
    try {
      this.manifest = Json.mapper().readTree(dir.resolve("manifest.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RunFiles read(Path dir) {
    return new RunFiles(dir);
  }

  static List<JsonNode> lines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        out.add(Json.mapper().readTree(line));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<JsonNode> failures(String stage) {
    return failures.stream().filter(f -> f.path("stage").asText().equals(stage)).toList();
  }

  /** Failure counts per error class, for one stage. */
  Map<String, Long> failureClasses(String stage) {
    Map<String, Long> out = new TreeMap<>();
    for (JsonNode f : failures(stage)) {
      out.merge(f.path("error_class").asText(), 1L, Long::sum);
    }
    return out;
  }

  long judgmentsWithStatus(String status) {
    return judgments.stream().filter(j -> j.path("status").asText().equals(status)).count();
  }

  /**
   * Checks that nothing was lost or duplicated: ids unique in every file; every (prompt, sample) is exactly one
   * candidate or one generation failure; every candidate's n samples are each exactly one judgment or one failure
   * (a transport failure is both a {@code failed} judgment and a failure record, same id); and the manifest's stage
   * counts equal these file counts and balance.
   */
  void assertAccountedFor(List<String> promptIds, int k, int n) {
    Set<String> candidateIds = unique(candidates, "id", "candidate ids");
    unique(judgments, "id", "judgment ids");
    Set<String> genFailed = unique(failures(GENERATE), "input_id", "generation failure ids");
    Set<String> judgeFailed = unique(failures(JUDGE), "input_id", "judging failure ids");

    // Generation: every (prompt, sample) ends in exactly one of the two files.
    Map<String, Integer> perPrompt = new HashMap<>();
    for (JsonNode c : candidates) {
      assertThat("candidate of a known prompt: " + c, promptIds.contains(c.path("prompt_id").asText()), is(true));
      perPrompt.merge(c.path("prompt_id").asText(), 1, Integer::sum);
      assertThat("a candidate is never also a failure", genFailed.contains(c.path("id").asText()), is(false));
    }
    for (JsonNode f : failures(GENERATE)) {
      JsonNode input = Json.parse(f.path("input").asText(), JsonNode.class);
      perPrompt.merge(input.path("id").asText(), 1, Integer::sum);
      assertFailureExplained(f);
    }
    for (String p : promptIds) {
      assertThat("prompt " + p + ": k outcomes", perPrompt.getOrDefault(p, 0), is(k));
    }
    assertThat(perPrompt.keySet(), equalTo(new HashSet<>(promptIds)));

    // Judging: every candidate's n samples end as a judgment (any status) or a failure record.
    Set<String> expected = new HashSet<>();
    for (String c : candidateIds) {
      for (int s = 0; s < n; s++) {
        expected.add("self/" + c + "/" + s);
      }
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode j : judgments) {
      String id = j.path("id").asText();
      seen.add(id);
      boolean failed = j.path("status").asText().equals("failed");
      assertThat("a failed judgment has a failure record and only then: " + id, judgeFailed.contains(id), is(failed));
    }
    for (JsonNode f : failures(JUDGE)) {
      seen.add(f.path("input_id").asText());
      assertFailureExplained(f);
    }
    assertThat("judgment ids are exactly candidates x samples", seen, equalTo(expected));

    // The manifest agrees with the files and balances.
    JsonNode gen = manifest.path("stages").path(GENERATE);
    assertThat(gen.path("in").asLong(), is((long) promptIds.size() * k));
    assertThat(gen.path("out").asLong(), is((long) candidates.size()));
    assertThat(gen.path("failed").asLong(), is((long) genFailed.size()));
    assertBalanced(gen);
    JsonNode judge = manifest.path("stages").path(JUDGE);
    assertThat(judge.path("in").asLong(), is((long) candidates.size() * n));
    assertThat(judge.path("out").asLong(), is(judgmentsWithStatus("ok")));
    assertThat(
        judge.path("rejected").asLong(),
        is(judgmentsWithStatus("unparseable") + judgmentsWithStatus("refused") + judgmentsWithStatus("truncated")));
    assertThat(judge.path("failed").asLong(), is((long) judgeFailed.size()));
    assertBalanced(judge);
  }

  private static void assertFailureExplained(JsonNode f) {
    assertThat("failure has an error class: " + f, f.path("error_class").asText(), not(emptyString()));
    assertThat("failure has a message: " + f, f.path("message").asText(), not(emptyString()));
    assertThat("failure keeps its input: " + f, f.path("input").asText(), not(emptyString()));
  }

  private static void assertBalanced(JsonNode stage) {
    long in = stage.path("in").asLong();
    long sum = stage.path("out").asLong() + stage.path("rejected").asLong() + stage.path("failed").asLong();
    assertThat("in = out + rejected + failed: " + stage, sum, is(in));
  }

  private static Set<String> unique(List<JsonNode> records, String field, String what) {
    Set<String> ids = new HashSet<>();
    for (JsonNode r : records) {
      assertThat(what + " are unique: " + r.path(field).asText(), ids.add(r.path(field).asText()), is(true));
    }
    return ids;
  }

  /** The bytes of a published output, empty when the file is absent. */
  byte[] bytes(String relative) {
    try {
      Path p = dir.resolve(relative);
      return Files.exists(p) ? Files.readAllBytes(p) : new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
