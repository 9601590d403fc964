package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.assay.export.RunFixture;
import dev.assay.export.TrainerFormatChecker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code assay export}: writes the export; bad input exits 2 naming file, line and field, without a stack trace. */
class ExportCommandTest {
  @TempDir Path tmp;

  private static CliRun export(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ExportCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  @Test
  void writesTheFormatTheSidecarMetricsAndTheCard() {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(30), RunFixture.sft(5));
    CliRun r = export(run.toString(), "--format", "trl-conversational", "--test-fraction", "0.1", "--seed", "7");
    assertThat(r.err(), r.exit(), is(0));
    assertThat(r.out(), containsString("export trl-conversational: 30 pairs"));
    Path dir = run.resolve("export/trl-conversational");
    TrainerFormatChecker.check("trl-conversational", dir);
    for (String f : List.of("train.jsonl", "test.jsonl", "metadata.jsonl", "metrics.json")) {
      assertThat(f, Files.isRegularFile(dir.resolve(f)), is(true));
    }
    assertThat(Files.isRegularFile(run.resolve("export/README.md")), is(true));
    assertThat(Files.isRegularFile(run.resolve("export/metrics.json")), is(true));
  }

  @Test
  void fileFormatParquetWritesParquetSplitsAndAHubFolderOfThem() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(30), RunFixture.sft(5));
    Path hub = tmp.resolve("hub");
    CliRun r = export(run.toString(), "--format", "kto", "--file-format", "parquet", "--hub-folder", hub.toString());
    assertThat(r.err(), r.exit(), is(0));
    assertThat(r.out(), containsString("export kto (parquet): 30 pairs -> train"));
    Path dir = run.resolve("export/kto");
    for (String f : List.of("train.parquet", "test.parquet", "metadata.jsonl", "metrics.json")) {
      assertThat(f, Files.isRegularFile(dir.resolve(f)), is(true));
    }
    assertThat(Files.exists(dir.resolve("train.jsonl")), is(false));
    assertThat(Files.readString(dir.resolve("metrics.json")), containsString("--file-format parquet"));
    assertThat(Files.isRegularFile(hub.resolve("data/kto/train-00000-of-00001.parquet")), is(true));
    assertThat(Files.readString(hub.resolve("README.md")), containsString("path: data/kto/train-00000-of-00001.parquet"));
  }

  @Test
  void anUnknownFileFormatExits2NamingTheChoices() {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(3), List.of());
    CliRun r = export(run.toString(), "--format", "trl", "--file-format", "csv");
    assertThat(r.exit(), is(2));
    assertThat(r.err(), containsString("unknown file format 'csv' (expected one of jsonl, parquet)"));
    assertThat(Files.exists(run.resolve("export")), is(false));
  }

  @Test
  void outChoosesTheExportFolder() {
    Path run = RunFixture.write(tmp.resolve("run"), List.of(), RunFixture.sft(5));
    Path out = tmp.resolve("elsewhere");
    CliRun r = export(run.toString(), "--format", "sft", "--out", out.toString());
    assertThat(r.err(), r.exit(), is(0));
    TrainerFormatChecker.check("sft", out.resolve("sft"));
    assertThat(Files.exists(run.resolve("export")), is(false));
  }

  @Test
  void aBadPairNamesFileLineAndFieldAndExits2() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(3), List.of());
    Path pairs = run.resolve("pairs/pairs.jsonl");
    List<String> lines = Files.readAllLines(pairs);
    Files.writeString(pairs, lines.get(0) + "\n" + lines.get(1).replace("\"margin\":2.5", "\"margin\":\"big\"") + "\n");
    CliRun r = export(run.toString(), "--format", "trl");
    assertThat(r.exit(), is(2));
    assertThat(r.err(), containsString("assay: " + pairs + ":2: field 'margin': "));
    assertThat(r.err(), not(containsString("Exception")));
    assertThat(r.err(), not(containsString("\tat ")));
    assertThat(Files.exists(run.resolve("export")), is(false));
  }

  @Test
  void missingRequiredFieldsUnknownFieldsAndDuplicateIdsAreBadInput() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(2), List.of());
    Path pairs = run.resolve("pairs/pairs.jsonl");
    String good = Files.readAllLines(pairs).get(0);

    Files.writeString(pairs, good.replace("\"chosen_score\":4.5,", "") + "\n");
    assertThat(export(run.toString(), "--format", "trl").err(), containsString(":1: field 'chosen_score': missing required field"));

    Files.writeString(pairs, good.replace("\"chosen\":", "\"chosne\":") + "\n");
    CliRun unknown = export(run.toString(), "--format", "trl");
    assertThat(unknown.exit(), is(2));
    assertThat(unknown.err(), containsString(":1: field 'chosne': unknown field"));

    Files.writeString(pairs, good.replace("\"prompt\":", "\"prompt_x\":").replace("\"prompt_id\"", "\"prompt_id\"") + "\n");
    assertThat(export(run.toString(), "--format", "trl").exit(), is(2));

    Files.writeString(pairs, good + "\n" + good + "\n");
    CliRun dup = export(run.toString(), "--format", "trl");
    assertThat(dup.exit(), is(2));
    assertThat(dup.err(), containsString(":2: field 'id': duplicate id"));

    Files.writeString(pairs, "{not json\n");
    CliRun malformed = export(run.toString(), "--format", "trl");
    assertThat(malformed.exit(), is(2));
    assertThat(malformed.err(), containsString(pairs + ":1: malformed JSON"));
  }

  @Test
  void aMissingRunFolderManifestOrPairsFileIsBadInput() throws IOException {
    CliRun noDir = export(tmp.resolve("nope").toString(), "--format", "trl");
    assertThat(noDir.exit(), is(2));
    assertThat(noDir.err(), containsString("not a folder"));

    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(2), List.of());
    Files.delete(run.resolve("pairs/pairs.jsonl"));
    CliRun noPairs = export(run.toString(), "--format", "kto");
    assertThat(noPairs.exit(), is(2));
    assertThat(noPairs.err(), containsString("pairs.jsonl: file not found"));

    Files.delete(run.resolve("manifest.json"));
    CliRun noManifest = export(run.toString(), "--format", "sft");
    assertThat(noManifest.exit(), is(2));
    assertThat(noManifest.err(), containsString("manifest.json: file not found"));
  }

  @Test
  void anUnwritableOutFolderExits2WithoutATrace() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(2), List.of());
    Path blocker = tmp.resolve("a-file");
    Files.writeString(blocker, "not a folder");
    CliRun r = export(run.toString(), "--format", "trl", "--out", blocker.toString());
    assertThat(r.exit(), is(2));
    assertThat(r.err(), containsString("assay: cannot write"));
    assertThat(r.err(), not(containsString("\tat ")));
  }

  @Test
  void badOptionsExit2() {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(2), List.of());
    CliRun format = export(run.toString(), "--format", "parquet");
    assertThat(format.exit(), is(2));
    assertThat(format.err(), containsString("unknown format 'parquet' (expected one of trl, trl-conversational"));
    CliRun fraction = export(run.toString(), "--format", "trl", "--test-fraction", "1.5");
    assertThat(fraction.exit(), is(2));
    assertThat(fraction.err(), containsString("test fraction must be in [0, 1)"));
    CliRun missing = export(run.toString());
    assertThat(missing.exit(), is(2));
    assertThat(missing.err(), containsString("give --format FORMAT"));
    CliRun nothingExported = export(run.toString(), "--hub-folder", tmp.resolve("hub").toString());
    assertThat(nothingExported.exit(), is(2));
    assertThat(nothingExported.err(), containsString("no format of run"));
  }

  @Test
  void hubFolderLaysOutWhatWasExportedWithOrWithoutAFormat() throws IOException {
    Path run = RunFixture.write(tmp.resolve("run"), RunFixture.pairs(30), RunFixture.sft(5));
    Path hub = tmp.resolve("hub");
    assertThat(export(run.toString(), "--format", "sft").exit(), is(0));
    CliRun r = export(run.toString(), "--format", "trl", "--test-fraction", "0.2", "--hub-folder", hub.toString());
    assertThat(r.err(), r.exit(), is(0));
    assertThat(r.out(), containsString("hub folder: " + hub + " (configs trl, sft, 5 data files; push: hf upload"));
    assertThat(Files.isRegularFile(hub.resolve("data/trl/train-00000-of-00001.jsonl")), is(true));
    assertThat(Files.readString(hub.resolve("README.md")), containsString("path: data/trl/test-00000-of-00001.jsonl"));
    // Without --format: only the layout, from what the export folder holds.
    CliRun again = export(run.toString(), "--hub-folder", hub.toString());
    assertThat(again.err(), again.exit(), is(0));
    assertThat(again.out(), not(containsString("export ")));
  }
}
