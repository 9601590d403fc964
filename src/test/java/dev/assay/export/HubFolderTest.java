package dev.assay.export;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.assay.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hub folder: the card's configs name files under data/ that hold exactly the export's rows. */
class HubFolderTest {
  @TempDir Path tmp;

  private Path exported(ExportFormat... formats) {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(30), RunFixture.sft(5));
    for (ExportFormat f : formats) {
      RunExport.run(new RunExport.Request(run, f, null, new TrainTestSplit(0.2, 42), "./assay export"));
    }
    return run;
  }

  @Test
  void everyConfigPointsAtACopyOfTheExportUnderData() throws IOException {
    Path run = exported(ExportFormat.KTO, ExportFormat.TRL);
    Path hub = tmp.resolve("hub");
    HubFolder.Written w = HubFolder.write(run, run.resolve("export"), hub);
    assertThat(w.configs(), contains("trl", "kto"));
    String card = Files.readString(hub.resolve("README.md"));
    JsonNode y = new ObjectMapper(new YAMLFactory()).readTree(card.substring(4, card.indexOf("\n---\n", 4) + 1));
    List<String> paths = new ArrayList<>();
    for (JsonNode c : y.path("configs")) {
      for (JsonNode f : c.path("data_files")) {
        String path = f.path("path").asText();
        paths.add(path);
        String split = f.path("split").asText();
        Path original = run.resolve("export").resolve(c.path("config_name").asText()).resolve(split + ".jsonl");
        assertThat(path, Files.readString(hub.resolve(path)), is(Files.readString(original)));
      }
    }
    assertThat(paths, contains("data/trl/train-00000-of-00001.jsonl", "data/trl/test-00000-of-00001.jsonl",
        "data/kto/train-00000-of-00001.jsonl", "data/kto/test-00000-of-00001.jsonl"));
    assertThat(w.files(), is(6));
    assertThat(Files.isRegularFile(hub.resolve("data/kto/metadata.jsonl")), is(true));
    assertThat(card, containsString("`data/<format>/metadata.jsonl` has one line per row"));
    assertThat(card, containsString("hf upload USER/NAME . . --repo-type dataset"));
    assertThat(card, containsString("load_dataset(\"USER/NAME\", \"trl\")"));
  }

  @Test
  void aSecondLayoutReplacesDataAndAForeignFolderIsRefused() throws IOException {
    Path run = exported(ExportFormat.TRL);
    Path hub = tmp.resolve("hub");
    HubFolder.write(run, run.resolve("export"), hub);
    Files.writeString(hub.resolve("data/stale.jsonl"), "{}\n");
    HubFolder.write(run, run.resolve("export"), hub);
    assertThat(Files.exists(hub.resolve("data/stale.jsonl")), is(false));
    Files.writeString(hub.resolve("notes.txt"), "mine");
    InputException e = assertThrows(InputException.class, () -> HubFolder.write(run, run.resolve("export"), hub));
    assertThat(e.getMessage(), containsString("holds files Assay did not lay out (notes.txt)"));
    try (Stream<Path> files = Files.walk(hub.resolve("data"))) {
      assertThat(files.filter(Files::isRegularFile).count(), is(3L));
    }
  }
}
