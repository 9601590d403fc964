package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.assay.cli.Main;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.MetaJudgeRecipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 item 2 on the simulator: with {@code tie_break: meta-judge}, an LLM meta-judge grades the rationalized
 * judge's ok judgments (ledgered: a resume sends nothing), and among several judgments with the majority score the
 * chosen one is the one it scored highest. On the direct runner and on embedded Flink: three pipelines per run (main,
 * meta-judge, rationalization), each of which must replay from the ledger on Flink too.
 */
class SelfRationalizationMetaJudgeTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "flink"})
  void chosenJudgmentIsTheMetaJudgesBestAmongTheRightOnes(String runner) throws Exception {
    Path file = MetaJudgeRecipe.write(tmp, "rat-meta");
    Path run = tmp.resolve("run");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      String url = sim.baseUrl();
      String[] args =
          Runners.args(
              runner, "run", file.toString(), "--run-dir", run.toString(),
              "--set", "endpoints.policy.base_url=" + url, "--set", "endpoints.judge.base_url=" + url);
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      java.io.PrintStream stderr = System.err;
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        assertThat(Main.execute(args), is(0));
      } finally {
        System.setErr(stderr);
      }
      long served = sim.servedCount();
      // 4 prompts x 4 responses, 16 x 5 judge samples, one meta request per ok judgment.
      RunDirectory dir = new RunDirectory(run);
      List<Judgment> judgments = dir.read("judgments", "judgments.jsonl", Judgment.class);
      List<Judgment> meta = dir.read("judgments", "meta.jsonl", Judgment.class);
      assertThat(judgments.stream().noneMatch(j -> j.judge().equals("meta")), is(true));
      long okSelf = judgments.stream().filter(j -> j.judge().equals("self") && j.status() == JudgmentStatus.OK).count();
      assertThat(okSelf, greaterThan(0L));
      assertThat((long) meta.size(), is(okSelf));
      // Preflight's checks (a model list per endpoint) reach the simulator too, outside the run's requests.
      long preflight = Json.mapper().readTree(run.resolve("manifest.json").toFile()).path("preflight").size();
      assertThat(served, is(MetaJudgeRecipe.MAIN_PASS_CALLS + okSelf + preflight));
      // Each pass counts its own calls: the main pass the policy's and the judge's, the meta-judge pass its own.
      String progress = err.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(progress, containsString("progress: requests " + MetaJudgeRecipe.MAIN_PASS_CALLS + "/" + MetaJudgeRecipe.MAIN_PASS_CALLS + " "));
      assertThat(progress, containsString("progress: meta-judge pass: requests " + okSelf + "/" + okSelf + " "));

      var manifest = Json.mapper().readTree(run.resolve("manifest.json").toFile());
      var stage = manifest.get("stages").get("judge.meta");
      assertThat(stage.toString(), stage.get("in").asLong(), is(okSelf));

      Map<String, Double> metaScore = new HashMap<>();
      for (Judgment m : meta) {
        if (m.status() == JudgmentStatus.OK) {
          metaScore.put(m.candidateA(), (double) m.score());
        }
      }
      Map<String, List<Judgment>> byItem = new HashMap<>();
      for (Judgment j : judgments) {
        if (j.judge().equals("self") && j.status() == JudgmentStatus.OK) {
          byItem.computeIfAbsent(j.candidateA(), k -> new ArrayList<>()).add(j);
        }
      }
      List<PreferencePair> pairs = dir.read("pairs", "pairs.jsonl", PreferencePair.class);
      assertThat(pairs.size(), greaterThan(0));
      int tiedItems = 0;
      for (PreferencePair p : pairs) {
        List<Judgment> ok = byItem.get(p.promptId());
        Map<Integer, Integer> votes = new HashMap<>();
        ok.forEach(j -> votes.merge(j.score(), 1, Integer::sum));
        int majority = votes.entrySet().stream().filter(e -> e.getValue() * 2 > ok.size()).findFirst().orElseThrow().getKey();
        assertThat(p.id(), (int) p.chosenScore(), is(majority));
        List<Judgment> right = ok.stream().filter(j -> j.score() == majority).toList();
        if (right.size() > 1) {
          tiedItems++;
        }
        // Best by the meta-judge: scored first, higher score, then the smaller id.
        Judgment best =
            right.stream()
                .min(
                    Comparator.comparing((Judgment j) -> !metaScore.containsKey(j.id()))
                        .thenComparingDouble(j -> -metaScore.getOrDefault(j.id(), 0.0))
                        .thenComparing(Judgment::id))
                .orElseThrow();
        assertThat(p.id(), p.chosenId(), is(best.id()));
      }
      assertThat("some item has several right judgments", tiedItems, greaterThan(0));
      List<String> pairsBefore = pairs.stream().map(p -> p.id() + " " + p.chosenId() + " " + p.rejectedId()).toList();

      String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
      resume[args.length] = "--resume";
      assertThat(Main.execute(resume), is(0));
      // Only preflight's model lists reach the server again: they check the endpoints, they are not run requests.
      assertThat("a resume replays every request, the meta-judge's included", sim.servedCount(), is(served + preflight));
      // Same pairs (the run id in them is the new run's).
      assertThat(
          dir.read("pairs", "pairs.jsonl", PreferencePair.class).stream().map(p -> p.id() + " " + p.chosenId() + " " + p.rejectedId()).toList(),
          is(pairsBefore));
    }
  }
}
