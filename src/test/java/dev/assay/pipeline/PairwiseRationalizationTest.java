package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.assay.cli.Main;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.rationalization.JudgmentLabel;
import dev.assay.curation.rationalization.RationalizationRejection;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Verdict;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, judge pairs of a pairwise judge on the simulator ({@code pipelines/self-rationalization-pairwise.yaml}):
 * each ordered pair's majority verdict is the pseudo-gold, the chosen judgment agrees with it, the rejected one does
 * not (the opposite seat when a sample chose it), and the stage balances.
 */
class PairwiseRationalizationTest {
  @TempDir Path tmp;

  static int run(Simulator sim, Path run, String... extra) {
    String url = sim.baseUrl();
    List<String> args = new java.util.ArrayList<>(List.of(
        "run", "pipelines/self-rationalization-pairwise.yaml", "--run-dir", run.toString(),
        "--set", "endpoints.policy.base_url=" + url, "--set", "endpoints.judge.base_url=" + url, "--set", "input.limit=8"));
    for (String e : extra) {
      args.add("--set");
      args.add(e);
    }
    return Main.execute(args.toArray(String[]::new));
  }

  @Test
  void chosenAgreesWithTheMajorityVerdictOfItsOrderedPair() throws Exception {
    Path out = tmp.resolve("run");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      assertThat(run(sim, out), is(0));
    }
    RunDirectory dir = new RunDirectory(out);
    Map<String, Map<Verdict, Integer>> votes = new HashMap<>();
    Map<String, Judgment> byId = new HashMap<>();
    for (Judgment j : dir.read("judgments", "judgments.jsonl", Judgment.class)) {
      assertThat(j.kind(), is(JudgmentKind.PAIRWISE));
      byId.put(j.id(), j);
      if (j.status() == JudgmentStatus.OK) {
        votes.computeIfAbsent(JudgmentLabel.item(j), k -> new HashMap<>()).merge(j.verdict(), 1, Integer::sum);
      }
    }
    List<PreferencePair> pairs = dir.read("pairs", "pairs.jsonl", PreferencePair.class);
    assertThat(pairs.size(), greaterThan(20));
    for (PreferencePair p : pairs) {
      assertThat(p.kind(), is("judge"));
      Judgment chosen = byId.get(p.chosenId());
      Judgment rejected = byId.get(p.rejectedId());
      String item = JudgmentLabel.item(chosen);
      assertThat(p.promptId(), is(item));
      assertThat(JudgmentLabel.item(rejected), is(item));
      Map<Verdict, Integer> v = votes.get(item);
      int ok = v.values().stream().mapToInt(Integer::intValue).sum();
      Verdict majority = v.entrySet().stream().filter(e -> 2 * e.getValue() > ok).findFirst().orElseThrow().getKey();
      assertThat(p.id(), chosen.verdict(), is(majority));
      assertThat((int) p.chosenScore(), is(JudgmentLabel.of(chosen)));
      // The opposite seat is furthest from the majority: it is rejected whenever a sample chose it.
      Verdict opposite = majority == Verdict.A ? Verdict.B : majority == Verdict.B ? Verdict.A : null;
      if (opposite != null && v.getOrDefault(opposite, 0) > 0) {
        assertThat(p.id(), rejected.verdict(), is(opposite));
      } else {
        assertThat(p.id(), rejected.verdict() == majority, is(false));
      }
      // The trainer sees the pairwise prompt of that seat order.
      assertThat(p.prompt().contains("<response_a>"), is(true));
    }
    for (RationalizationRejection r : dir.read("rejected", "rationalization.jsonl", RationalizationRejection.class)) {
      assertThat(r.okScores().isEmpty(), is(true));
      assertThat(r.okVerdicts() != null, is(true));
    }
    var manifest = dev.assay.io.Json.mapper().readTree(out.resolve("manifest.json").toFile());
    var stage = manifest.path("stages").path("rationalize");
    assertThat(stage.toString(), stage.path("in").asLong(), is(stage.path("out").asLong() + stage.path("rejected").asLong()));
    assertThat(stage.path("out").asLong(), is((long) pairs.size()));
    var metrics = dev.assay.curation.rationalization.RationalizationMetrics.read(out.resolve("rationalization/metrics.json"));
    assertThat(metrics.goldSource(), startsWith("pseudo-gold"));
    assertThat(metrics.items(), is(stage.path("in").asLong()));
  }
}
