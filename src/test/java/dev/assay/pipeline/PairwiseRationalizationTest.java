package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.assay.cli.Main;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.rationalization.JudgmentLabel;
import dev.assay.curation.rationalization.PositionBalance;
import dev.assay.curation.rationalization.RationalizationReason;
import dev.assay.curation.rationalization.RationalizationRejection;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Verdict;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, judge pairs of a pairwise judge on the simulator ({@code pipelines/self-rationalization-pairwise.yaml}):
 * each ordered pair's majority verdict is the pseudo-gold, the chosen judgment agrees with it, the rejected one does
 * not (the opposite seat when a sample chose it), and the stage balances; then the position balance: as many chosen A
 * as B, the excess of the larger side rejected as {@code position_balance}, reproducibly, and nothing dropped with
 * {@code balance: false}.
 */
class PairwiseRationalizationTest {
  @TempDir Path tmp;

  static int run(Simulator sim, Path run, String... extra) {
    return run("direct", sim, run, extra);
  }

  static int run(String runner, Simulator sim, Path run, String... extra) {
    String url = sim.baseUrl();
    List<String> args = new java.util.ArrayList<>(List.of(
        "run", "pipelines/self-rationalization-pairwise.yaml", "--run-dir", run.toString(),
        "--set", "endpoints.policy.base_url=" + url, "--set", "endpoints.judge.base_url=" + url, "--set", "input.limit=8"));
    for (String e : extra) {
      args.add("--set");
      args.add(e);
    }
    args.addAll(Runners.options(runner));
    return Main.execute(args.toArray(String[]::new));
  }

  @Test
  void chosenAgreesWithTheMajorityVerdictOfItsOrderedPair() throws Exception {
    Path out = tmp.resolve("run");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      assertThat(run(sim, out, "rationalization.balance=false"), is(0));
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

  @Test
  void balancedPairsChooseAAsOftenAsBAndTheDropsAreRejectedReproducibly() throws Exception {
    Path balanced = tmp.resolve("balanced");
    Path again = tmp.resolve("again");
    Path unbalanced = tmp.resolve("unbalanced");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      assertThat(run(sim, balanced), is(0));
      // The rerun on embedded Flink: the plan's single-key grouping and side input behave alike on both runners.
      assertThat(run("flink", sim, again), is(0));
      assertThat(run(sim, unbalanced, "rationalization.balance=false"), is(0));
    }
    PositionBalance off = PositionBalance.read(new RunDirectory(unbalanced));
    PositionBalance on = PositionBalance.read(new RunDirectory(balanced));
    // Before balancing both runs saw the same pairs.
    assertThat(on.chosenABefore(), is(off.chosenA()));
    assertThat(on.chosenBBefore(), is(off.chosenB()));
    assertThat(off.dropped(), is(0L));
    assertThat(off.chosenA() != off.chosenB(), is(true)); // else there would be nothing to balance
    assertThat(on.applicable(), is(true));
    assertThat(on.chosenA(), is(on.chosenB()));
    assertThat(on.dropped(), is(Math.abs(on.chosenABefore() - on.chosenBBefore())));

    RunDirectory dir = new RunDirectory(balanced);
    List<PreferencePair> pairs = dir.read("pairs", "pairs.jsonl", PreferencePair.class);
    long a = pairs.stream().filter(p -> p.chosenScore() == JudgmentLabel.A).count();
    long b = pairs.stream().filter(p -> p.chosenScore() == JudgmentLabel.B).count();
    assertThat(a, is(b));
    List<RationalizationRejection> drops =
        dir.read("rejected", "rationalization.jsonl", RationalizationRejection.class).stream()
            .filter(r -> r.reason() == RationalizationReason.POSITION_BALANCE).toList();
    assertThat((long) drops.size(), is(on.dropped()));
    Verdict larger = on.chosenABefore() > on.chosenBBefore() ? Verdict.A : Verdict.B;
    for (RationalizationRejection r : drops) {
      assertThat(r.goldVerdict(), is(larger));
      assertThat(r.detail(), containsString("dropped (seeded 42)"));
    }
    // Every dropped item had a pair in the unbalanced run; the kept pairs are the others, unchanged.
    List<PreferencePair> all = new RunDirectory(unbalanced).read("pairs", "pairs.jsonl", PreferencePair.class);
    assertThat((long) all.size(), is(pairs.size() + on.dropped()));
    java.util.Set<String> dropped = new java.util.HashSet<>(drops.stream().map(RationalizationRejection::itemId).toList());
    assertThat(
        all.stream().filter(p -> !dropped.contains(p.promptId())).map(PreferencePair::id).toList(),
        is(pairs.stream().map(PreferencePair::id).toList()));

    // The accounting counts the drops as rejected: in = out + rejected.
    var stage = dev.assay.io.Json.mapper().readTree(balanced.resolve("manifest.json").toFile()).path("stages").path("rationalize");
    assertThat(stage.toString(), stage.path("in").asLong(), is(stage.path("out").asLong() + stage.path("rejected").asLong()));
    assertThat(stage.path("out").asLong(), is((long) pairs.size()));
    assertThat(stage.toString(), stage.path("reasons").path("position_balance").asLong(), is(on.dropped()));

    // Seeded: a second run, on the other runner, publishes the same bytes (run ids masked), the same drops included.
    dev.assay.testing.RunComparison.assertSamePublishedOutputs(balanced, again);

    // The report and the card show it.
    assertThat(Main.execute("report", balanced.toString()), is(0));
    String report = Files.readString(balanced.resolve("report.html"));
    assertThat(report, containsString("Judge pairs: verdict position balance"));
    assertThat(report, containsString(on.chosenA() + " / " + on.chosenB()));
    assertThat(Main.execute("export", balanced.toString(), "--format", "trl"), is(0));
    String card = Files.readString(balanced.resolve("export/README.md"));
    assertThat(card, containsString("| chosen A / B, before | " + on.chosenABefore() + " / " + on.chosenBBefore() + " |"));
    assertThat(card, containsString("| pairs dropped (`position_balance`) | " + on.dropped() + " |"));
    System.out.println("pairwise rationalization on the simulator: " + on.line());
  }
}
