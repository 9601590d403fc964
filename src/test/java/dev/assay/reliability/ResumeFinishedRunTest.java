package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, failure 7: a finished run resumed must rewrite byte-identical files. Before the fix every resume drew a
 * new run id, and {@code pairs.jsonl} and {@code sft.jsonl} (which carry it on every line) changed each time.
 *
 * <p>Runs the demo recipe (all stages: generation, three judges, rewards, consistency, consensus, pairs) through the
 * CLI on 12 of its prompts, resumes it twice, and compares every file of the run directory except the two that
 * record the invocation itself: {@code manifest.json} (times, command, ledger hits) and {@code report.html}, which
 * shows them, and the ledger's session marker ({@code ledger/session}), a fresh token per driver session by design so
 * that workers drop cached ledgers of an earlier session. The ledger's entries must not change either: a finished
 * run sends nothing. The manifest's run id must stay the same.
 */
@Timeout(180)
class ResumeFinishedRunTest {
  private static final int PROMPTS = 12;
  private static final List<String> INVOCATION_FILES = List.of("manifest.json", "report.html", "ledger/session");

  @TempDir Path tmp;

  @Test
  void aFinishedRunResumedKeepsItsRunIdAndRewritesIdenticalFiles() throws Exception {
    Path prompts = tmp.resolve("prompts.jsonl");
    List<String> lines = Files.readAllLines(Path.of("pipelines/data/topics-80.jsonl")).subList(0, PROMPTS);
    Files.write(prompts, lines);
    Path out = tmp.resolve("demo");

    List<String> first = List.of("demo", "--out", out.toString(), "--no-progress", "--set", "input.path=" + prompts);
    Cli.Result run = Cli.run(first);
    assertThat(run.toString(), run.exit(), is(0));
    Map<String, String> before = hashes(out);
    String runId = runId(out);
    assertThat("the run wrote pairs to compare", before.keySet(), hasItem("pairs/pairs.jsonl"));
    assertThat("the run wrote SFT examples to compare", before.keySet(), hasItem("sft/sft.jsonl"));
    assertThat(Files.size(out.resolve("pairs/pairs.jsonl")), greaterThan(0L));
    assertThat(Files.size(out.resolve("sft/sft.jsonl")), greaterThan(0L));

    List<String> resume = new ArrayList<>(first);
    resume.add("--resume");
    for (int round = 1; round <= 2; round++) {
      Cli.Result resumed = Cli.run(resume);
      assertThat(resumed.toString(), resumed.exit(), is(0));
      assertThat("run id after resume " + round, runId(out), is(runId));
      Map<String, String> after = hashes(out);
      List<String> changed = new ArrayList<>();
      for (String file : union(before, after)) {
        if (!java.util.Objects.equals(before.get(file), after.get(file))) {
          changed.add(file + (before.containsKey(file) ? after.containsKey(file) ? " (changed)" : " (gone)" : " (new)"));
        }
      }
      assertThat("files that differ after resume " + round, changed, is(empty()));
    }
    System.out.println(
        "RELIABILITY resume-finished: run id " + runId + " kept over 2 resumes; " + before.size()
            + " files byte-identical (manifest.json, report.html and ledger/session aside)");
  }

  private static List<String> union(Map<String, String> a, Map<String, String> b) {
    TreeMap<String, String> all = new TreeMap<>(a);
    all.putAll(b);
    return new ArrayList<>(all.keySet());
  }

  private static String runId(Path out) throws IOException {
    JsonNode manifest = Json.mapper().readTree(out.resolve("manifest.json").toFile());
    return manifest.path("run_id").asText();
  }

  /** SHA-256 of every regular file under {@code dir} but the invocation's own, by relative path. */
  static Map<String, String> hashes(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        if (!INVOCATION_FILES.contains(rel)) {
          out.put(rel, sha256(Files.readAllBytes(f)));
        }
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
