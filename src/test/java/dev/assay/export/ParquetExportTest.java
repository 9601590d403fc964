package dev.assay.export;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.assay.export.parquet.ParquetFiles;
import dev.assay.export.parquet.RowSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --file-format parquet}: every format's splits hold the rows of the JSONL export, in the same order, with
 * awkward text; the card and the Hub folder point at the Parquet files. (pyarrow and {@code datasets} read the same
 * files in {@link HfConsumersTest}.)
 */
class ParquetExportTest {
  @TempDir Path tmp;

  /** A run with the awkward text of {@link RunFixture#edgeCasePairs()} (megabyte strings: only where rows are compared). */
  private Path run(boolean edgeCases) {
    List<dev.assay.curation.pairs.PreferencePair> pairs = new ArrayList<>(RunFixture.pairs(20));
    List<dev.assay.curation.pairs.SftExample> sft = new ArrayList<>(RunFixture.sft(6));
    if (edgeCases) {
      pairs.addAll(RunFixture.edgeCasePairs());
      sft.addAll(RunFixture.edgeCaseSft());
    }
    return RunFixture.write(tmp.resolve("run"), pairs, sft);
  }

  private static ExportMetrics export(Path run, ExportFormat f, Path out, FileFormat ff) {
    return RunExport.run(new RunExport.Request(run, f, out, new TrainTestSplit(0.3, 42), "./assay export", ff));
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void parquetSplitsHoldTheJsonlRows(ExportFormat f) throws IOException {
    Path run = run(true);
    ExportMetrics jsonl = export(run, f, tmp.resolve("jsonl"), FileFormat.JSONL);
    ExportMetrics parquet = export(run, f, tmp.resolve("parquet"), FileFormat.PARQUET);
    assertThat(parquet.fileFormat(), is(FileFormat.PARQUET));
    assertThat(jsonl.fileFormat(), is(FileFormat.JSONL));
    assertThat(parquet.files().get(0), is(f.wire() + "/train.parquet"));
    assertThat(parquet.trainRows(), is(jsonl.trainRows()));
    RowSchema schema = RowSchema.of(f.fromPairs() ? f.pairExporter().rowType() : f.sftExporter().rowType());
    for (String split : List.of("train", "test")) {
      Path p = tmp.resolve("parquet").resolve(f.wire()).resolve(split + ".parquet");
      List<JsonNode> want = TrainerFormatChecker.read(tmp.resolve("jsonl").resolve(f.wire()).resolve(split + ".jsonl"));
      assertThat(f + "/" + split, ParquetFiles.rows(p, schema.message()), is(want));
      assertThat(ParquetFiles.footer(p).getNum_rows(), is((long) want.size()));
    }
    // The sidecar stays JSONL, byte for byte the JSONL export's.
    assertThat(Files.readString(tmp.resolve("parquet").resolve(f.wire()).resolve("metadata.jsonl")),
        is(Files.readString(tmp.resolve("jsonl").resolve(f.wire()).resolve("metadata.jsonl"))));
    assertThat(Files.exists(tmp.resolve("parquet").resolve(f.wire()).resolve("train.jsonl")), is(false));
  }

  @Test
  void theCardAndTheHubFolderPointAtTheParquetFiles() throws IOException {
    Path run = run(false);
    Path out = tmp.resolve("export");
    export(run, ExportFormat.TRL, out, FileFormat.PARQUET);
    export(run, ExportFormat.SFT, out, FileFormat.JSONL);
    String card = Files.readString(out.resolve("README.md"));
    assertThat(paths(card), contains("trl/train.parquet", "trl/test.parquet", "sft/train.jsonl", "sft/test.jsonl"));
    assertThat(card, containsString("load_dataset(\"parquet\", data_files={\"train\": \"trl/train.parquet\""));
    assertThat(card, containsString("load_dataset(\"json\", data_files={\"train\": \"sft/train.jsonl\""));
    assertThat(card, containsString("pd.read_parquet(\"trl/train.parquet\")"));

    Path hub = tmp.resolve("hub");
    HubFolder.Written w = HubFolder.write(run, out, hub);
    String hubCard = Files.readString(hub.resolve("README.md"));
    List<String> hubPaths = paths(hubCard);
    assertThat(hubPaths, contains("data/trl/train-00000-of-00001.parquet", "data/trl/test-00000-of-00001.parquet",
        "data/sft/train-00000-of-00001.jsonl", "data/sft/test-00000-of-00001.jsonl"));
    assertThat(Files.readAllBytes(hub.resolve("data/trl/train-00000-of-00001.parquet")),
        is(Files.readAllBytes(out.resolve("trl/train.parquet"))));
    assertThat(Files.isRegularFile(hub.resolve("data/trl/metadata.jsonl")), is(true));
    assertThat(w.files(), is(6));
  }

  @Test
  void aJsonlExportStillSaysNothingAboutParquet() throws IOException {
    Path run = run(false);
    export(run, ExportFormat.TRL, tmp.resolve("export"), FileFormat.JSONL);
    String card = Files.readString(tmp.resolve("export/README.md"));
    assertThat(card, not(containsString("parquet")));
    assertThat(Files.readString(tmp.resolve("export/trl/metrics.json")), containsString("\"file_format\" : \"jsonl\""));
  }

  @Test
  void theSameExportWritesTheSameParquetBytes() throws IOException {
    Path run = run(false);
    export(run, ExportFormat.TRL_CONVERSATIONAL, tmp.resolve("a"), FileFormat.PARQUET);
    export(run, ExportFormat.TRL_CONVERSATIONAL, tmp.resolve("b"), FileFormat.PARQUET);
    for (String split : List.of("train.parquet", "test.parquet")) {
      assertThat(split, Files.readAllBytes(tmp.resolve("a/trl-conversational").resolve(split)),
          is(Files.readAllBytes(tmp.resolve("b/trl-conversational").resolve(split))));
    }
  }

  private static List<String> paths(String card) throws IOException {
    JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(card.substring(4, card.indexOf("\n---\n", 4) + 1));
    List<String> out = new ArrayList<>();
    y.path("configs").forEach(c -> c.path("data_files").forEach(f -> out.add(f.path("path").asText())));
    return out;
  }
}
