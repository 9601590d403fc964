package dev.assay.cli;

import dev.assay.export.ExportFormat;
import dev.assay.export.ExportMetrics;
import dev.assay.export.FileFormat;
import dev.assay.export.HubFolder;
import dev.assay.export.RunExport;
import dev.assay.export.TrainTestSplit;
import dev.assay.io.InputException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay export RUN_DIR [--format F] [--file-format jsonl|parquet] [--out DIR] [--hub-folder DIR]
 * [--test-fraction X] [--seed S]}: writes a run's curated pairs (or SFT examples) in a trainer's format, as JSONL or
 * Parquet splits, with a train/test split, a metadata sidecar,
 * {@code metrics.json} and the dataset card (see {@link RunExport}); with {@code --hub-folder}, also lays out every
 * format exported so far as a Hub dataset repository (see {@link HubFolder}). At least one of the two is required.
 *
 * <p>Exit codes: 0 success; 2 bad usage or bad input (including an output folder that cannot be written), after
 * printing {@code assay: <message>} (file, line and field for bad input) to the error writer, without a stack trace.
 * picocli's own usage errors also exit 2.
 */
@Command(
    name = "export",
    sortOptions = false,
    description = {
      "Write a run's curated data for a trainer: RUN_DIR/pairs/pairs.jsonl (preference formats) or"
          + " RUN_DIR/sft/sft.jsonl (SFT formats) to OUT/<format>/{train,test}.jsonl (or .parquet), metadata.jsonl"
          + " and metrics.json, and"
          + " the dataset card OUT/README.md. --hub-folder DIR lays out what OUT holds as a Hugging Face Hub dataset"
          + " repository (not pushed).",
      "Exit codes: 0 success, 2 bad usage or bad input."
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run (iteration) folder, with manifest.json.")
  private Path runDir;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "trl (TRL preference, strings), trl-conversational (TRL preference, messages), openrlhf (OpenRLHF RM/DPO),"
              + " kto (TRL KTO: prompt, completion, label), sft (TRL SFT messages), sft-prompt-completion (TRL SFT"
              + " prompt + completion).")
  private String format;

  @Option(
      names = "--file-format",
      paramLabel = "FF",
      defaultValue = "jsonl",
      description =
          "jsonl (default) or parquet: how the train and test splits are stored (the metadata sidecar stays JSONL);"
              + " Parquet keeps the same rows, messages as list<struct<content, role>>, every column not null.")
  private String fileFormat;

  @Option(names = "--out", paramLabel = "DIR", description = "Export folder (default: RUN_DIR/export).")
  private Path out;

  @Option(
      names = "--hub-folder",
      paramLabel = "DIR",
      description =
          "Also lay out every format exported so far as a Hugging Face Hub dataset repository in DIR (README.md +"
              + " data/<format>/<split>-00000-of-00001.jsonl or .parquet), without pushing. Without --format, only"
              + " this.")
  private Path hubFolder;

  @Option(
      names = "--test-fraction",
      paramLabel = "F",
      defaultValue = "0.05",
      description = "Share of ids in the test split, in [0, 1) (default 0.05).")
  private double testFraction;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Salts the split's hash; keep it fixed across iterations so ids keep their side (default 42).")
  private long seed;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Path dir = (out == null ? runDir.resolve("export") : out);
      if (format == null && hubFolder == null) {
        throw new IllegalArgumentException("give --format FORMAT (" + ExportFormat.names() + "), --hub-folder DIR, or both");
      }
      if (format != null) {
        export(stdout, dir);
      }
      if (hubFolder != null) {
        HubFolder.Written h = HubFolder.write(runDir, dir, hubFolder);
        stdout.printf(
            Locale.ROOT,
            "hub folder: %s (configs %s, %d data files; push: hf upload USER/NAME %s . --repo-type dataset)%n",
            h.dir(),
            String.join(", ", h.configs()),
            h.files(),
            h.dir());
      }
      stdout.flush();
      return Main.OK;
    } catch (InputException | IllegalArgumentException e) {
      err.println("assay: " + e.getMessage());
      err.flush();
      return Main.BAD_INPUT;
    } catch (UncheckedIOException e) {
      // An unwritable --out (permissions, a file where the folder should be) is a usage problem, not a bug.
      err.println("assay: " + e.getMessage() + ": " + e.getCause().getMessage());
      err.flush();
      return Main.BAD_INPUT;
    }
  }

  /** Exports --format into {@code dir} and says what was written. */
  private void export(PrintWriter stdout, Path dir) {
    ExportFormat f = ExportFormat.parse(format.strip().toLowerCase(Locale.ROOT));
    FileFormat ff = FileFormat.parse(fileFormat.strip().toLowerCase(Locale.ROOT));
    TrainTestSplit split = new TrainTestSplit(testFraction, seed);
    ExportMetrics m = RunExport.run(new RunExport.Request(runDir, f, out, split, commandLine(f, ff), ff));
    stdout.printf(
        Locale.ROOT,
        "export %s%s: %d %s -> train %d rows, test %d rows, metadata %d rows in %s%n",
        m.format(),
        ff == FileFormat.JSONL ? "" : " (" + ff.wire() + ")",
        m.records(),
        f.fromPairs() ? "pairs" : "SFT examples",
        m.trainRows(),
        m.testRows(),
        m.metadataRows(),
        dir.resolve(m.format()));
    if (m.systemMessagesDropped() > 0) {
      stdout.printf(
          Locale.ROOT,
          "note: %d records had a system message that %s cannot carry (dropped; see the card)%n",
          m.systemMessagesDropped(),
          m.format());
    }
    stdout.println("dataset card: " + dir.resolve(RunExport.CARD));
  }

  private String commandLine(ExportFormat f, FileFormat ff) {
    StringBuilder sb = new StringBuilder("./assay export ").append(runDir).append(" --format ").append(f.wire());
    if (ff != FileFormat.JSONL) {
      sb.append(" --file-format ").append(ff.wire());
    }
    if (out != null) {
      sb.append(" --out ").append(out);
    }
    return sb.append(" --test-fraction ").append(testFraction).append(" --seed ").append(seed).toString();
  }
}
