package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.assay.consensus.ConsensusPair;
import dev.assay.consensus.RejectedPair;
import dev.assay.io.Json;
import dev.assay.run.FilterGains;
import dev.assay.run.RunDirectory;
import dev.assay.run.RunManifest;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose imported candidates carry {@code gold_score}: the filter table is measured against that gold, not the
 * simulator that judged them, in the manifest, the card and the report; the unfiltered figures are recomputed here
 * from the consensus stage's files and the gold written into the input.
 */
class FilterGainsOnGoldTest {
  @TempDir Path tmp;

  @Test
  void importedGoldIsTheTruthOfTheFilterTable() throws Exception {
    Path project = Path.of("").toAbsolutePath();
    Map<String, Double> gold = new HashMap<>();
    StringBuilder lines = new StringBuilder();
    String[] topics = {"tides", "rainbows", "volcanoes", "bread", "bridges", "vaccines", "glaciers", "comets"};
    for (int p = 0; p < 40; p++) {
      String topic = topics[p % topics.length];
      for (int c = 0; c < 3; c++) {
        String id = "q" + p + "/c" + c;
        // A gold tie on the two weakest answers of every fifth prompt: such pairs are left out, never counted.
        double g = p % 5 == 0 && c > 0 ? 1.0 : c;
        gold.put(id, g);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", id);
        line.put("prompt_id", "q" + p);
        line.put("prompt", "Explain " + topic + " to a student (" + p + ").");
        line.put("response", "About " + topic + ": " + "a careful point. ".repeat(1 + c * 2 + p % 3) + "Answer " + c + ".");
        line.put("gold_score", g);
        lines.append(Json.line(line)).append('\n');
      }
    }
    Files.writeString(tmp.resolve("candidates.jsonl"), lines);
    Files.writeString(tmp.resolve("r.yaml"), """
        name: gold-import
        seed: 3
        endpoints:
          judge: {base_url: "http://127.0.0.1:1/v1", model: sim-m1}
        input: {path: candidates.jsonl, format: candidates}
        judges:
          - {name: self, endpoint: judge, kind: absolute, n: 3, template: %s, rubric: %s}
          - {name: pairwise, endpoint: judge, kind: pairwise, n: 1, template: %s}
        reward_models:
          - {name: judge-self, type: judge, judge: self}
          - {name: pairwise-self, type: pairwise, judge: pairwise}
        consensus: {k: 2, c: 0.6, m0: 0.0, primary: judge-self}
        pairs: {max_length_ratio: 2.0}
        """.formatted(project.resolve("configs/templates/absolute.yaml"), project.resolve("configs/rubrics/helpfulness.yaml"),
            project.resolve("configs/templates/pairwise.yaml")));
    Path run = tmp.resolve("run");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      assertThat(Main.execute("run", tmp.resolve("r.yaml").toString(), "--run-dir", run.toString(), "--no-progress",
          "--set", "endpoints.judge.base_url=" + sim.baseUrl()), is(0));
    }
    assertThat(Main.execute("export", run.toString(), "--format", "trl"), is(0));
    RunManifest m = Json.mapper().readValue(run.resolve(RunDirectory.MANIFEST).toFile(), RunManifest.class);
    FilterGains g = m.filterGains();
    assertThat(g, notNullValue());
    assertThat(g.truth(), is("gold"));
    assertThat(g.filters().stream().map(FilterGains.Row::filter).toList(),
        contains("consensus", "reward-hacking guard", "length control <= 2.0x"));

    // Recomputed from the files: every prompt's pair as consensus saw it, right when the chosen side's gold is higher.
    RunDirectory dir = new RunDirectory(run);
    long pairs = 0;
    long right = 0;
    long keptRight = 0;
    for (ConsensusPair p : dir.read("pairs", "consensus.jsonl", ConsensusPair.class)) {
      if (!gold.get(p.chosen()).equals(gold.get(p.rejected()))) {
        pairs++;
        right += gold.get(p.chosen()) > gold.get(p.rejected()) ? 1 : 0;
        keptRight += gold.get(p.chosen()) > gold.get(p.rejected()) ? 1 : 0;
      }
    }
    long kept = pairs;
    for (RejectedPair p : dir.read("rejected", "consensus.jsonl", RejectedPair.class)) {
      if (p.chosen() != null && !gold.get(p.chosen()).equals(gold.get(p.rejected()))) {
        pairs++;
        right += gold.get(p.chosen()) > gold.get(p.rejected()) ? 1 : 0;
      }
    }
    assertThat(pairs, greaterThan(20L));
    assertThat(g.unfiltered(), is(pairs));
    assertThat(g.unfilteredRight(), is(right));
    assertThat(g.filters().get(0).kept(), is(kept));
    assertThat(g.filters().get(0).keptRight(), is(keptRight));

    String card = Files.readString(run.resolve("export/README.md"));
    assertThat(card, containsString("## What each filter gained"));
    assertThat(card, containsString("by the items' gold labels"));
    assertThat(card, containsString("| consensus | " + pairs + " | " + kept + " | "));
    assertThat(Files.readString(run.resolve("report.html")), containsString("data-table=\"filter-gains\""));
    // The simulator served the judges, but its notion of quality says nothing about these texts: no truth notes.
    assertThat(String.join("\n", m.notes()), not(containsString("simulated truth")));
  }
}
