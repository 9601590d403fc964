package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import dev.assay.run.RunDirectory;
import dev.assay.testing.ChildJvm;
import dev.assay.testing.LlamaServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped llama.cpp recipe, {@code pipelines/self-rewarding-llama-cpp.yaml}, run through
 * {@code configs/endpoints/llama-cpp.yaml} against the real servers in a child JVM, then exported: generation,
 * absolute and pairwise judging with structured output (320 judgments at the recipe's own {@code max_tokens}, at
 * most 2 unparseable), two reward models with a stage each, consensus, pairs, and {@code ./assay export --format
 * trl}. Skipped (failed under CI) without the servers of {@code scripts/llama-server up}.
 */
class LlamaServerRecipeTest {
  private static final Path REPO = Path.of("").toAbsolutePath();

  @TempDir Path tmp;

  @Test
  void theLlamaCppRecipeJudgesWithStructuredOutputAndExports() throws Exception {
    LlamaServers servers = LlamaServers.require();
    Path run = tmp.resolve("run");
    Path log = tmp.resolve("child.log");
    List<String> args =
        List.of("run", REPO.resolve("pipelines/self-rewarding-llama-cpp.yaml").toString(), "--config",
            REPO.resolve("configs/endpoints/llama-cpp.yaml").toString(), "--run-dir", run.toString(), "--no-progress",
            "--runner", "direct");

    Process child = ChildJvm.start(tmp, log, List.of(), servers.environment(), args);

    assertThat(child.waitFor(5, TimeUnit.MINUTES), is(true));
    String out = Files.readString(log);
    assertThat(out, child.exitValue(), is(0));
    RunDirectory dir = new RunDirectory(run);
    List<Judgment> judgments = dir.read("judgments", "judgments.jsonl", Judgment.class);
    assertThat(judgments.size(), greaterThanOrEqualTo(200));
    long notOk = judgments.stream().filter(j -> j.status() != JudgmentStatus.OK).count();
    assertThat("unparseable, refused, truncated or failed judgments", notOk, lessThanOrEqualTo(2L));
    // Every judge asked for the schema: an ok answer is the JSON object it describes, not a text marker.
    assertThat(
        judgments.stream().filter(j -> j.status() == JudgmentStatus.OK).map(j -> j.raw().strip().charAt(0)).toList(),
        everyItem(is('{')));
    assertThat(judgments.stream().map(Judgment::model).distinct().toList(), is(List.of(servers.policy().model())));

    JsonNode stages = Json.mapper().readTree(run.resolve("manifest.json").toFile()).path("stages");
    for (String stage : List.of("generate", "judge.self", "judge.pairwise", "reward.judge-self", "reward.pairwise-self", "consensus", "pairs")) {
      assertThat(stage + " in " + stages, stages.path(stage).path("in").asLong(), greaterThan(0L));
      assertThat(out, containsString(stage + ": in "));
    }
    assertThat(stages.toString(), stages.path("reward.judge-self").path("out").asLong(), greaterThan(0L));
    assertThat(stages.toString(), stages.path("reward.pairwise-self").path("out").asLong(), greaterThan(0L));
    long pairs = dir.count("pairs", "pairs.jsonl");
    assertThat(pairs, greaterThan(0L));

    Path export = tmp.resolve("export");
    assertThat(Main.execute("export", run.toString(), "--format", "trl", "--out", export.toString()), is(0));
    long rows = Files.readAllLines(export.resolve("trl/train.jsonl")).size() + Files.readAllLines(export.resolve("trl/test.jsonl")).size();
    assertThat(rows, is(pairs));
    String card = Files.readString(export.resolve("README.md"));
    assertThat(card, containsString("`reward.judge-self`"));
    assertThat(card, containsString("`reward.pairwise-self`"));
  }
}
