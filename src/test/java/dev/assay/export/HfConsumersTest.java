package dev.assay.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.assay.cli.DemoForTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's exports in every format load in the Hugging Face ecosystem itself (issue 19): {@code scripts/hf-consumers}
 * runs {@code datasets.load_dataset(DIR, CONFIG)} for every config of the card, compares every row with the JSONL
 * export, and trains a tiny random model for two steps with TRL's DPO, SFT and KTO trainers; then loads every config of
 * the {@link HubFolder} laid out from the same export.
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

    // front matter + 6 configs loaded + 2 DPO + 2 SFT + 1 KTO trainers
    consumers(export, false, 12);
    // The Hub folder: the same configs load from data/<format>/<split>-00000-of-00001.jsonl (trainers once is enough).
    Path hub = tmp.resolve("hub");
    HubFolder.write(run, export, hub);
    consumers(hub, true, 7);
  }

  /** Runs scripts/hf-consumers on {@code dir} and expects {@code passed} checks and no failure. */
  private void consumers(Path dir, boolean loadOnly, int passed) throws Exception {
    Path log = tmp.resolve("hf-consumers-" + dir.getFileName() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "scripts/hf-consumers", dir.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
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
