package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.bench.SmallRecipe;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, "a ledger shared across runs": {@code --ledger DIR} points runs in different folders at one
 * content-addressed ledger. The same recipe in a new folder sends nothing; a changed rubric re-pays exactly the
 * judge's calls (generation is answered from the ledger); a shared ledger survives {@code --overwrite} of a run
 * directory; and the manifest records the ledger with its hits and misses. The simulator counts what it was sent.
 */
@Timeout(300)
class SharedLedgerTest {
  @TempDir Path tmp;

  private static List<String> args(Path recipe, Path dir, Path ledger, String... more) {
    List<String> a = new ArrayList<>(Cli.runArgs(recipe, dir, false, more));
    a.add("--ledger");
    a.add(ledger.toString());
    return a;
  }

  @Test
  void runsInNewFoldersAnswerFromTheSharedLedgerAndAChangedRubricRepaysOnlyTheJudge() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      SmallRecipe r = SmallRecipe.in(tmp.resolve("recipe")).prompts(6).k(2).n(2);
      Path recipe = r.write(sim.baseUrl());
      Path ledger = tmp.resolve("shared-ledger");
      String chat = "/v1/chat/completions";

      long before = sim.servedCount(chat);
      Cli.Result first = Cli.run(args(recipe, tmp.resolve("a"), ledger));
      assertThat(first.toString(), first.exit(), is(0));
      assertThat("the first run pays every call", sim.servedCount(chat) - before,
          is((long) r.generations() + r.judgments()));
      assertThat("the run's own ledger/ is not used", Files.exists(tmp.resolve("a/ledger")), is(false));
      JsonNode recorded = RunFiles.read(tmp.resolve("a")).manifest.path("ledger");
      assertThat(recorded.path("path").asText(), is(ledger.toAbsolutePath().normalize().toString()));
      assertThat(recorded.path("shared").asBoolean(), is(true));
      assertThat(recorded.path("misses").asLong(), is((long) r.generations() + r.judgments()));
      assertThat(recorded.path("hits").asLong(), is(0L));

      before = sim.servedCount(chat);
      Cli.Result second = Cli.run(args(recipe, tmp.resolve("b"), ledger));
      assertThat(second.toString(), second.exit(), is(0));
      assertThat("the same recipe in a new folder sends nothing", sim.servedCount(chat) - before, is(0L));
      JsonNode hit = RunFiles.read(tmp.resolve("b")).manifest.path("ledger");
      assertThat(hit.path("hits").asLong(), is((long) r.generations() + r.judgments()));
      assertThat(hit.path("misses").asLong(), is(0L));
      assertThat("same published judgments",
          Files.readString(tmp.resolve("b/judgments/judgments.jsonl")).lines().count(),
          is(Files.readString(tmp.resolve("a/judgments/judgments.jsonl")).lines().count()));

      // Another wording of one score: every judge prompt changes, no generation prompt does.
      Path rubric = tmp.resolve("rubric.yaml");
      Files.writeString(rubric, Files.readString(Path.of("configs/rubrics/helpfulness.yaml"))
          .replace("with only minor omissions", "with only small omissions"));
      before = sim.servedCount(chat);
      Cli.Result changed = Cli.run(args(recipe, tmp.resolve("c"), ledger, "judges.0.rubric=" + rubric));
      assertThat(changed.toString(), changed.exit(), is(0));
      assertThat("a changed rubric re-pays exactly the judge's calls", sim.servedCount(chat) - before,
          is((long) r.judgments()));
      JsonNode usage = RunFiles.read(tmp.resolve("c")).manifest.path("usage");
      assertThat(usage.path("policy").path("requests").asLong(), is(0L));
      assertThat(usage.path("policy").path("ledger_hits").asLong(), is((long) r.generations()));
      assertThat(usage.path("judge").path("requests").asLong(), is((long) r.judgments()));

      // Starting folder a afresh deletes its own files, never the shared ledger: still nothing to send.
      before = sim.servedCount(chat);
      List<String> overwrite = args(recipe, tmp.resolve("a"), ledger);
      overwrite.add("--overwrite");
      Cli.Result again = Cli.run(overwrite);
      assertThat(again.toString(), again.exit(), is(0));
      assertThat(sim.servedCount(chat) - before, is(0L));
    }
  }
}
