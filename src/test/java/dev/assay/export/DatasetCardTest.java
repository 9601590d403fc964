package dev.assay.export;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset card: every section, every figure read from the run, nothing invented. */
class DatasetCardTest {
  @TempDir Path tmp;

  private String exportAndRead(Path run, ExportFormat... formats) throws IOException {
    for (ExportFormat f : formats) {
      RunExport.run(new RunExport.Request(run, f, null, new TrainTestSplit(0.2, 42), "./assay export " + run + " --format " + f.wire()));
    }
    return Files.readString(run.resolve("export/README.md"));
  }

  @Test
  void theCardHasEveryRequiredSection() throws IOException {
    String card = exportAndRead(RunFixture.write(tmp.resolve("run"), RunFixture.pairs(20), RunFixture.sft(4)), ExportFormat.TRL);
    for (String section : DatasetCard.SECTIONS) {
      assertThat(card, containsString("\n" + section + "\n"));
    }
  }

  @Test
  void countsFiltersCommandsInputsAndTheSimulatorLineComeFromTheRun() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(20), RunFixture.sft(4));
    String card = exportAndRead(run, ExportFormat.TRL, ExportFormat.KTO, ExportFormat.SFT);
    assertThat(card, containsString("- Preference pairs: 20 (policy: 20)"));
    assertThat(card, containsString("- SFT examples: 4"));
    // Every exported format is listed, with its own counts.
    assertThat(card, containsString("| `kto` | 20 |"));
    assertThat(card, containsString("| `sft` | 4 |"));
    assertThat(card, containsString("### `trl`"));
    // Filters: the manifest's stages and the rejected/ files, by reason.
    assertThat(card, containsString("| `dedupe` | 12 | 9 | 3 | 0 | duplicate_exact 1, duplicate_near 2 |"));
    assertThat(card, containsString("| `rejected/dedupe.jsonl` | `duplicate_near` | 2 |"));
    assertThat(card, containsString("| `rejected/consensus.jsonl` | `models_disagree` | 1 |"));
    // Provenance.
    assertThat(card, containsString("**Simulated data.**"));
    assertThat(card, containsString("./assay run pipelines/fixture.yaml"));
    assertThat(card, containsString("./assay export " + run + " --format kto"));
    assertThat(card, containsString("| CC-BY-4.0 |"));
    JsonNode manifest = Json.mapper().readTree(run.resolve("manifest.json").toFile());
    assertThat(card, containsString(manifest.path("inputs").get(0).path("sha256").asText()));
    // Score distributions with a histogram per quantity.
    assertThat(card, containsString("**Chosen score**: n 20"));
    assertThat(card, containsString("**Margin (primary reward model, chosen - rejected)**"));
    // What it cost, from the manifest's costs.
    assertThat(card, containsString("| generate | policy | 10 | 500 | 1000 | $0.250000 |"));
    assertThat(card, containsString("Total $0.250000 for 4 kept pairs: $0.062500 per kept pair."));
  }

  @Test
  void labelSmoothingIsOneMinusTheMeanPerPromptConsistencyWhenTheManifestHasNone() throws IOException {
    List<PreferencePair> pairs =
        List.of(
            RunFixture.pair("a", null, "q1", "x", "y", 0.9),
            RunFixture.pair("b", null, "q2", "x", "y", 0.7));
    String card = exportAndRead(RunFixture.write(tmp.resolve("run"), pairs, List.of()), ExportFormat.TRL);
    assertThat(card, containsString("`label_smoothing = 1 - C = 0.2000` (C = 0.8000)"));
    assertThat(card, containsString("--label_smoothing"));
    assertThat(card, containsString("TRL up to 0.28"));
    assertThat(card, containsString("custom loss"));
    ExportMetrics m = Json.mapper().readValue(tmp.resolve("run/export/trl/metrics.json").toFile(), ExportMetrics.class);
    assertThat(m.labelSmoothing(), org.hamcrest.Matchers.closeTo(0.2, 1e-12));
  }

  @Test
  void theManifestsConsistencyWinsOverThePairs() {
    JsonNode manifest = Json.parse("{\"consistency\": {\"rate\": 0.75}}", JsonNode.class);
    LabelSmoothing s = LabelSmoothing.of(manifest, RunFixture.pairs(3));
    assertThat(s.value(), is(0.25));
    assertThat(s.source(), containsString("consistency.rate"));
    LabelSmoothing none = LabelSmoothing.of(Json.parse("{}", JsonNode.class), List.of());
    assertThat(none.value() == null, is(true));
  }

  @Test
  void anUnknownLicenceAndARealRunAreSaidPlainly() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(3), List.of());
    Path manifest = run.resolve("manifest.json");
    String text = Files.readString(manifest).replace("\"license\" : \"CC-BY-4.0\"", "\"note\" : \"none\"")
        .replace("simulated: the embedded simulator answered every request", "imported from a file");
    Files.writeString(manifest, text);
    String card = exportAndRead(run, ExportFormat.TRL);
    assertThat(card, containsString("unknown — fill in"));
    assertThat(card, not(containsString("Simulated data")));
    assertThat(card, containsString("Data source: real model endpoints or imported judgments"));
  }

  @Test
  void histogramsBinSmallIntegersOneByOne() {
    List<String> lines = DatasetCard.bins(new double[] {1, 1, 2, 5});
    assertThat(lines.size(), is(5));
    assertThat(lines.get(0), containsString("1 | " + "#".repeat(40)));
    assertThat(lines.get(0).endsWith(" 2"), is(true));
    assertThat(lines.get(2).endsWith(" 0"), is(true));
    assertThat(DatasetCard.bins(new double[] {0.1, 0.15, 0.9}).size(), is(10));
    assertThat(DatasetCard.bins(new double[] {2.5, 2.5}), is(List.of("2.5000 | " + "#".repeat(40) + " 2")));
  }
}
