package dev.assay.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

import dev.assay.cli.Main;
import dev.assay.io.Json;
import dev.assay.run.FilterGains;
import dev.assay.run.RunDirectory;
import dev.assay.run.RunManifest;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's check that the card and the report tell the truth about filters: the stock self-rewarding recipe on the
 * simulator, big enough for intervals a few points wide, then the export. Every filter has its gain with an interval
 * in the manifest, the card and the report, and the flag "removed N pairs with no measurable gain" appears exactly
 * for the filters whose interval of gain over their input includes zero or lies below it. 600 prompts keep the run
 * under about a minute on two loaded cores; the 5,000-prompt run is in BENCHMARKS.md ("When filters help").
 */
class FilterGainsOnSimulatorTest {
  private static final int PROMPTS = 600;

  @TempDir Path tmp;

  @Test
  void everyFilterHasAGainWithItsIntervalAndFlagsFollowTheIntervals() throws Exception {
    Path project = Path.of("").toAbsolutePath();
    Path prompts = SamplingBenchmark.writePrompts(project.resolve("pipelines/data/topics-80.jsonl"), tmp.resolve("prompts.jsonl"), PROMPTS, 1);
    Path run = tmp.resolve("run");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      SimulatedRecipeRun.run(project, sim.baseUrl(), prompts, 1, run, "auto", List.of(), "self-rewarding on the simulator");
    }
    assertThat(Main.execute("export", run.toString(), "--format", "trl"), is(0));
    RunManifest manifest = Json.mapper().readValue(run.resolve(RunDirectory.MANIFEST).toFile(), RunManifest.class);
    FilterGains g = manifest.filterGains();
    assertThat("a simulated run records its filter gains", g, notNullValue());
    assertThat(g.filters().stream().map(FilterGains.Row::filter).toList(),
        contains("consensus", "consistency C(x) >= 0.6", "reward-hacking guard", "length control <= 2.0x"));
    // The recipe filters on consistency: the pairs that pass every row are the run's pairs.
    assertThat(g.filters().get(3).kept(), is(new RunDirectory(run).count("pairs", "pairs.jsonl")));

    String card = Files.readString(run.resolve("export/README.md"));
    String report = Files.readString(run.resolve("report.html"));
    for (FilterGains.Row r : g.filters()) {
      for (FilterGains.Gain gain : List.of(r.gainOverInput(), r.gainOverUnfiltered())) {
        assertThat(r.filter(), gain.lower(), notNullValue());
        assertThat(r.filter() + ": an interval narrow enough to tell", gain.upper() - gain.lower(), lessThan(0.2));
      }
      boolean noMeasurableGain = r.removed() > 0 && !(r.gainOverInput().lower() > 0);
      assertThat(r.filter(), r.flag() != null, is(noMeasurableGain));
      String flag = noMeasurableGain ? "removed " + r.removed() + " pairs with no measurable gain" : "";
      String row = "| " + r.filter() + " | " + r.input() + " | " + r.kept() + " | " + r.removed() + " | ";
      assertThat(card, containsString(row));
      String line = card.substring(card.indexOf(row), card.indexOf('\n', card.indexOf(row)));
      assertThat(line, containsString(FilterGains.points(r.gainOverInput()) + " | " + FilterGains.points(r.gainOverUnfiltered()) + " | " + flag + " |"));
      String html = Pattern.quote("<td>" + r.filter().replace("<", "&lt;").replace(">", "&gt;") + "</td>");
      assertThat(r.filter(), Pattern.compile(html + ".*?<td>" + Pattern.quote(FilterGains.points(r.gainOverInput())) + "</td>", Pattern.DOTALL)
          .matcher(report).find(), is(true));
    }
    long flagged = g.flagged().size();
    assertThat(count(card, "pairs with no measurable gain"), is(2 * flagged));
    assertThat(count(report, "pairs with no measurable gain"), is(2 * flagged));
    assertThat(card, containsString("| filter (this run) | "));
    assertThat(card, containsString("| report (computed) | "));
    assertThat(report, containsString("data-table=\"consistency-modes\""));
  }

  /**
   * In report mode the run keeps the prompts consistency would drop: its rows are the filters it applied, consistency
   * comes last as measured only, and the report-mode pairs it computes are the pairs it published.
   */
  @Test
  void inReportModeConsistencyIsMeasuredOnlyAndTheModesMatchThePublishedPairs() throws Exception {
    Path project = Path.of("").toAbsolutePath();
    Path prompts = SamplingBenchmark.writePrompts(project.resolve("pipelines/data/topics-80.jsonl"), tmp.resolve("prompts.jsonl"), 120, 2);
    Path run = tmp.resolve("report-mode");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      SimulatedRecipeRun.run(project, sim.baseUrl(), prompts, 2, run, "auto", List.of("consistency.mode=report"), "report mode");
    }
    FilterGains g = Json.mapper().readValue(run.resolve(RunDirectory.MANIFEST).toFile(), RunManifest.class).filterGains();
    assertThat(g.filters().stream().map(r -> r.filter() + (r.applied() ? "" : " (measured)")).toList(),
        contains("consensus", "reward-hacking guard", "length control <= 2.0x", "consistency C(x) >= 0.6 (measured)"));
    long published = new RunDirectory(run).count("pairs", "pairs.jsonl");
    assertThat(g.filters().get(2).kept(), is(published));
    assertThat(g.consistencyModes().get(1).mode(), is("report"));
    assertThat(g.consistencyModes().get(1).ran(), is(true));
    assertThat(g.consistencyModes().get(1).pairs(), is(published));
    assertThat(g.consistencyModes().get(0).ran(), is(false));
    assertThat(g.consistencyModes().get(0).pairs(), lessThan(published + 1));
    // The measured-only row saw what consensus kept.
    assertThat(g.filters().get(3).input(), is(g.filters().get(0).kept()));
  }

  private static long count(String text, String what) {
    return Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
  }
}
