package dev.assay.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.assay.cli.DemoForTests;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.SftExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's exports in every format load in the Hugging Face ecosystem itself (issue 19): {@code scripts/hf-consumers}
 * runs {@code datasets.load_dataset(DIR, CONFIG)} for every config of the card, compares every row with the JSONL
 * export, and trains a tiny random model for two steps with TRL's DPO, SFT and KTO trainers; then loads every config of
 * the {@link HubFolder} laid out from the same export. The same exports written as Parquet ({@code --file-format
 * parquet}), as a plain folder and as a Hub folder, load with {@code datasets} and pyarrow row for row equal to the
 * JSONL; so do Parquet exports of awkward text (empty strings, emoji, control characters, megabyte strings).
 *
 * <p>The script installs its virtual environment from the machine's pip index, cached by requirements hash. When it
 * cannot (exit 3), the test is skipped with the install line, except under CI, where it fails.
 */
class HfConsumersTest {
  static final long LIMIT_SECONDS = 600;
  private static final Pattern SUMMARY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");

  @TempDir Path tmp;

  @Test
  void datasetsLoadsEveryConfigAndTrlTrainsOnEveryFormat() throws Exception {
    Path run = tmp.resolve("demo");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    // A quarter of the demo's prompts: enough pairs for a batch of two in every split, and quick.
    int demo = DemoForTests.runDemo(run, List.of("input.limit=20"), new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals(0, demo, () -> "demo failed:\n" + console.toString(StandardCharsets.UTF_8));
    Path export = tmp.resolve("export");
    for (ExportFormat f : ExportFormat.values()) {
      RunExport.run(new RunExport.Request(run, f, export, new TrainTestSplit(0.2, 42), "./assay export --format " + f.wire()));
    }

    // front matter + the default config + 6 configs loaded + 2 DPO + 2 SFT + 1 KTO trainers
    consumers(export, null, false, 13);
    // The Hub folder: the same configs load from data/<format>/<split>-00000-of-00001.jsonl (trainers once is enough).
    Path hub = tmp.resolve("hub");
    HubFolder.write(run, export, hub);
    consumers(hub, null, true, 8);

    // Parquet: every file read by datasets and pyarrow equals its JSONL twin, plain and as a Hub folder.
    Path parquet = tmp.resolve("export-parquet");
    for (ExportFormat f : ExportFormat.values()) {
      RunExport.run(new RunExport.Request(run, f, parquet, new TrainTestSplit(0.2, 42), "", FileFormat.PARQUET));
    }
    consumers(parquet, export, true, 8 + parquetFiles(parquet));
    Path hubParquet = tmp.resolve("hub-parquet");
    HubFolder.write(run, parquet, hubParquet);
    consumers(hubParquet, hub, true, 8 + parquetFiles(hubParquet));
  }

  @Test
  void parquetOfAwkwardTextLoadsAsItsJsonl() throws Exception {
    List<PreferencePair> pairs = new ArrayList<>(RunFixture.pairs(12));
    pairs.addAll(RunFixture.edgeCasePairs());
    List<SftExample> sft = new ArrayList<>(RunFixture.sft(4));
    sft.addAll(RunFixture.edgeCaseSft());
    Path run = RunFixture.write(tmp.resolve("run"), pairs, sft);
    for (FileFormat ff : FileFormat.values()) {
      for (ExportFormat f : ExportFormat.values()) {
        RunExport.run(new RunExport.Request(run, f, tmp.resolve(ff.wire()), new TrainTestSplit(0.3, 42), "", ff));
      }
    }
    Path parquet = tmp.resolve("parquet");
    assertEquals(12, parquetFiles(parquet));
    consumers(parquet, tmp.resolve("jsonl"), true, 8 + 12);
  }

  private static int parquetFiles(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return (int) walk.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  /**
   * Runs scripts/hf-consumers on {@code dir} (its Parquet files compared with the JSONL twins under {@code jsonlDir},
   * when given) and expects {@code passed} checks and no failure.
   */
  private void consumers(Path dir, Path jsonlDir, boolean loadOnly, int passed) throws Exception {
    Path log = tmp.resolve("hf-consumers-" + dir.getFileName() + ".log");
    List<String> command = new ArrayList<>(List.of("bash", "scripts/hf-consumers", dir.toString()));
    if (jsonlDir != null) {
      command.add(jsonlDir.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (loadOnly) {
      pb.environment().put("HF_CONSUMERS_SKIP_TRAINERS", "1");
    }
    Process p = pb.start();
    if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("scripts/hf-consumers took longer than " + LIMIT_SECONDS + " s:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    if (p.exitValue() == 3) {
      if (System.getenv("CI") != null) {
        fail("the Hugging Face consumers are missing (CI is set, so they must run):\n" + out);
      }
      Assumptions.assumeTrue(false, out.strip());
    }
    Matcher m = SUMMARY.matcher(out);
    assertTrue(m.find(), () -> "no summary line:\n" + out);
    assertEquals(0, p.exitValue(), () -> "scripts/hf-consumers failed:\n" + out);
    assertEquals("0", m.group(2), () -> out);
    assertEquals(passed, Integer.parseInt(m.group(1)), () -> out);
  }
}
