package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;

import dev.assay.bench.SmallRecipe;
import dev.assay.cli.Main;
import dev.assay.io.Json;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets guarantee over every stage, not only generation and judging: with an API key in the environment, a
 * run that also scores log-probs through the completions endpoint (implicit reward), builds consensus pairs, writes
 * report.html, and is then exported leaves the key, {@code Authorization} and {@code Bearer} in no file and no output.
 */
class SecretsAcrossStagesTest {
  private static final String KEY_VARIABLE = "ASSAY_TEST_STAGES_KEY";

  @TempDir Path tmp;

  @Test
  @Timeout(180)
  void noStageWritesTheKey() throws Exception {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String key = "sk-assaystages-" + HexFormat.of().formatHex(random);
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults());
        HeaderRecordingProxy proxy = HeaderRecordingProxy.start(sim.baseUrl(), key, Integer.MAX_VALUE, -1)) {
      SmallRecipe r = SmallRecipe.in(tmp).prompts(4).k(3).n(2).endpoint("api_key_env", KEY_VARIABLE);
      Path recipe = r.write(proxy.baseUrl());
      Files.writeString(
          recipe,
          """
          reward_models:
            - {name: judge-self, type: judge, judge: self}
            - {name: implicit, type: implicit, endpoint: policy, reference_endpoint: judge}
          consensus: {k: 1, c: 0.5, m0: 0.0, primary: judge-self}
          """,
          StandardOpenOption.APPEND);
      Path runDir = tmp.resolve("run");
      Path log = tmp.resolve("child.log");
      Process child =
          ChildJvm.start(tmp, log, List.of("-Dorg.slf4j.simpleLogger.log.dev.assay=debug"), Map.of(KEY_VARIABLE, key), Cli.runArgs(recipe, runDir, false));
      assertThat("the child finished", child.waitFor(150, TimeUnit.SECONDS), is(true));
      assertThat(Files.readString(log), child.exitValue(), is(0));
      assertThat(Main.execute("export", runDir.toString(), "--format", "trl-conversational"), is(0));
      assertThat(Files.exists(runDir.resolve("report.html")), is(true));
      assertThat(Files.exists(runDir.resolve("rewards/rewards.jsonl")), is(true));

      // The key was really in use, for the log-prob scoring calls too: one per candidate (policy and reference are
      // the same simulated model here, so the ledger sends each scoring request once).
      List<String> seen = proxy.authorizations();
      // Preflight's checks (a model list per endpoint, one log-prob probe per scoring endpoint) carry the key too.
      long preflight = Json.mapper().readTree(runDir.resolve("manifest.json").toFile()).path("preflight").size();
      assertThat(seen.size(), is((int) (r.generations() + r.judgments() + r.generations() + preflight)));
      assertThat(seen, everyItem(is("Bearer " + key)));

      List<Path> files;
      try (Stream<Path> walk = Files.walk(tmp)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      List<String> hits = new ArrayList<>();
      for (Path f : files) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        String lower = text.toLowerCase(Locale.ROOT);
        if (text.contains(key)) {
          hits.add(tmp.relativize(f) + " contains the key");
        }
        for (String header : List.of("authorization", "bearer")) {
          if (lower.contains(header)) {
            hits.add(tmp.relativize(f) + " contains " + header);
          }
        }
      }
      assertThat(hits, is(empty()));
      System.out.printf(
          "RELIABILITY secrets across stages: %d requests (chat and completions) carried the key; %d files scanned"
              + " (run directory with rewards, pairs, report.html, export; child output): 0 hits%n",
          seen.size(), files.size());
    }
  }
}
