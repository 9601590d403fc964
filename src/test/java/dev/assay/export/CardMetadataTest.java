package dev.assay.export;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card's YAML front matter, read back as the Hub and {@code datasets} read it: a YAML document between the first
 * two {@code ---} lines, whose configs point at files that exist.
 */
class CardMetadataTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  @TempDir Path tmp;

  private static JsonNode frontMatter(Path card) throws IOException {
    String text = Files.readString(card);
    assertThat("the card starts with front matter", text.startsWith("---\n"), is(true));
    int end = text.indexOf("\n---\n", 4);
    assertThat("the front matter is closed", end > 0, is(true));
    return YAML.readTree(text.substring(4, end + 1));
  }

  private static Path export(Path run, double testFraction, ExportFormat... formats) {
    for (ExportFormat f : formats) {
      RunExport.run(new RunExport.Request(run, f, null, new TrainTestSplit(testFraction, 42), "./assay export"));
    }
    return run.resolve("export");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void everyExportedFormatIsAConfigWhoseFilesExistAndTrlIsTheDefault() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(40), RunFixture.sft(6));
    Path out = export(run, 0.3, ExportFormat.KTO, ExportFormat.SFT, ExportFormat.TRL, ExportFormat.OPENRLHF);
    JsonNode y = frontMatter(out.resolve(RunExport.CARD));
    JsonNode configs = y.path("configs");
    List<String> names = new ArrayList<>();
    for (JsonNode c : configs) {
      String name = c.path("config_name").asText();
      names.add(name);
      assertThat(name, c.path("default").asBoolean(false), is(name.equals("trl")));
      ExportMetrics m = RunExport.exported(out, RunFixture.RUN_ID).get(name);
      List<String> splits = new ArrayList<>();
      for (JsonNode f : c.path("data_files")) {
        splits.add(f.path("split").asText());
        Path file = out.resolve(f.path("path").asText());
        assertThat(file + " exists", Files.isRegularFile(file), is(true));
        long lines = Files.readAllLines(file).size();
        assertThat(lines, is(f.path("split").asText().equals("train") ? m.trainRows() : m.testRows()));
      }
      assertThat(splits, contains("train", "test"));
    }
    // The default order, then whatever else: trl, openrlhf, kto, sft.
    assertThat(names, contains("trl", "openrlhf", "kto", "sft"));
    assertThat(y.path("license").asText(), is("cc-by-4.0"));
    assertThat(y.has("license_name"), is(false));
    assertThat(texts(y.path("task_categories")), contains("text-generation"));
    assertThat(texts(y.path("tags")), contains("dpo", "kto", "sft", "synthetic", "simulated", "trl", "assay"));
    assertThat(texts(y.path("size_categories")), contains("n<1K"));
    assertThat(y.path("pretty_name").asText(), containsString("fixture"));
  }

  @Test
  void withoutTrlTheFirstFormatInTheOrderIsTheDefaultAndAnEmptyTestSplitIsLeftOut() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(5), RunFixture.sft(3));
    JsonNode y = frontMatter(export(run, 0, ExportFormat.SFT, ExportFormat.KTO).resolve(RunExport.CARD));
    JsonNode kto = y.path("configs").get(0);
    assertThat(kto.path("config_name").asText(), is("kto"));
    assertThat(kto.path("default").asBoolean(), is(true));
    assertThat(kto.path("data_files").size(), is(1));
    assertThat(kto.path("data_files").get(0).path("path").asText(), is("kto/train.jsonl"));
    assertThat(y.path("configs").get(1).has("default"), is(false));
  }

  @Test
  void aRealRunIsNotTaggedSimulatedAndItsLicencesAreSaidPlainly() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(3), List.of());
    Path manifest = run.resolve("manifest.json");
    Files.writeString(manifest, Files.readString(manifest)
        .replace("\"CC-BY-4.0\"", "\"Acme Data Licence v2\"")
        .replace("\"input\" :", "\"output_terms\" : \"Llama 3.1 Community License\", \"input\" :")
        .replace("simulated: the embedded simulator answered every request", "imported from a file"));
    Path card = export(run, 0.2, ExportFormat.TRL).resolve(RunExport.CARD);
    JsonNode y = frontMatter(card);
    assertThat(texts(y.path("tags")), not(hasItem("simulated")));
    assertThat(y.path("license").asText(), is("other"));
    assertThat(y.path("license_name").asText(), is("acme-data-licence-v2"));
    String text = Files.readString(card);
    assertThat(text, containsString("Terms of the model outputs (the recipe's `output_terms`, e.g. the serving model's"
        + " licence): Llama 3.1 Community License."));
    assertThat(text, containsString("load_dataset(\"path/to/this/folder\", \"trl\")"));
  }

  @Test
  void licencesMapToHubIdentifiers() {
    assertThat(CardMetadata.HubLicense.of("Apache-2.0").id(), is("apache-2.0"));
    assertThat(CardMetadata.HubLicense.of(" MIT ").id(), is("mit"));
    CardMetadata.HubLicense none = CardMetadata.HubLicense.of(null);
    assertThat(none.id(), is("unknown"));
    assertThat(none.name(), nullValue());
    assertThat(CardMetadata.HubLicense.of("  ").id(), is("unknown"));
    CardMetadata.HubLicense other = CardMetadata.HubLicense.of("Meta Llama 3 Community License");
    assertThat(other.id(), is("other"));
    assertThat(other.name(), is("meta-llama-3-community-license"));
  }

  @Test
  void sizeCategoriesFollowTheHubsBuckets() {
    assertThat(CardMetadata.sizeCategory(0), is("n<1K"));
    assertThat(CardMetadata.sizeCategory(999), is("n<1K"));
    assertThat(CardMetadata.sizeCategory(1_000), is("1K<n<10K"));
    assertThat(CardMetadata.sizeCategory(250_000), is("100K<n<1M"));
    assertThat(CardMetadata.sizeCategory(2_000_000_000_000L), is("n>1T"));
  }

  @Test
  void anUnknownInputLicenceIsUnknownInTheFrontMatter() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(3), List.of());
    Path manifest = run.resolve("manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"license\" : \"CC-BY-4.0\"", "\"note\" : \"none\""));
    Path card = export(run, 0.2, ExportFormat.TRL).resolve(RunExport.CARD);
    assertThat(frontMatter(card).path("license").asText(), is("unknown"));
    assertThat(Files.readString(card), containsString("Terms of the model outputs (the recipe's `output_terms`, e.g."
        + " the serving model's licence): unknown — fill in"));
  }
}
