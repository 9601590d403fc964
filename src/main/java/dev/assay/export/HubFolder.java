package dev.assay.export;

import dev.assay.io.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A Hugging Face Hub dataset repository laid out on disk, not pushed: {@code README.md} (the dataset card whose
 * front matter names the files) and {@code data/<format>/<split>-00000-of-00001.jsonl} (or {@code .parquet}, as the
 * format was exported) per exported format, with the sidecar as {@code data/<format>/metadata.jsonl}. The Hub's dataset viewer and {@code load_dataset(DIR, CONFIG)} read
 * the configs from the card's front matter, so the folder works the same locally and once uploaded.
 *
 * <p>Contract: built from what {@link RunExport} already wrote to the export folder for this run (every format
 * listed by {@code metrics.json}); an empty test split is left out. The target must be absent, empty, or a folder this
 * class wrote before (only {@code README.md} and {@code data/}); then {@code data/} is replaced. Failure modes: no
 * exported format, or a target holding other files, is an {@link InputException}; an I/O error an
 * {@link UncheckedIOException}.
 */
public final class HubFolder {
  /**
   * Where a split (or {@code metadata}) lies in the Hub layout, relative to the card: the Hub's shard naming, with
   * the extension of the file format each format was exported in.
   */
  public static BiFunction<String, String, String> layout(Map<String, ExportMetrics> exports) {
    return (format, split) -> "data/" + format + "/"
        + (split.equals("metadata") ? DatasetWriter.METADATA
            : split + "-00000-of-00001." + FileFormat.extension(exports, format, split));
  }

  /**
   * What was laid out.
   *
   * @param dir the Hub folder
   * @param configs the configs, in the card's order
   * @param files the data files copied (splits and sidecars)
   */
  public record Written(Path dir, List<String> configs, int files) {
    public Written {
      configs = List.copyOf(configs);
    }
  }

  private HubFolder() {}

  /** Lays out {@code hubDir} from the run and its export folder. */
  public static Written write(Path runDir, Path exportDir, Path hubDir) {
    RunInputs inputs = RunInputs.read(runDir, false, false);
    Map<String, ExportMetrics> exports = RunExport.exported(exportDir, inputs.runId());
    if (exports.isEmpty()) {
      throw new InputException(exportDir.toString(), 0, null,
          "no format of run " + inputs.runId() + " exported here yet: run ./assay export with --format first");
    }
    prepare(hubDir);
    BiFunction<String, String, String> layout = layout(exports);
    int files = 0;
    List<String> configs = new ArrayList<>();
    for (ExportMetrics e : exports.values()) {
      String f = e.format();
      configs.add(f);
      Path formatDir = exportDir.resolve(f);
      files += copy(formatDir.resolve(DatasetWriter.splitFile("train", e.fileFormat())), hubDir.resolve(layout.apply(f, "train")));
      if (e.testRows() > 0) {
        files += copy(formatDir.resolve(DatasetWriter.splitFile("test", e.fileFormat())), hubDir.resolve(layout.apply(f, "test")));
      }
      files += copy(formatDir.resolve(DatasetWriter.METADATA), hubDir.resolve(layout.apply(f, "metadata")));
    }
    LabelSmoothing smoothing = LabelSmoothing.of(inputs.manifest(), inputs.pairs());
    String card = DatasetCard.render(inputs, smoothing, exports, RunExport.rejected(runDir.resolve("rejected")), layout)
        + publishing(CardMetadata.defaultConfig(exports.keySet()));
    DatasetWriter.writeAtomically(hubDir.resolve(RunExport.CARD), card);
    List<String> ordered = new ArrayList<>();
    CardMetadata.DEFAULT_ORDER.stream().filter(configs::contains).forEach(ordered::add);
    configs.stream().filter(c -> !ordered.contains(c)).forEach(ordered::add);
    return new Written(hubDir, ordered, files);
  }

  /** The card's closing section: how to push the folder with the Hub's own CLI, and how to load it back. */
  static String publishing(String defaultConfig) {
    return "\n## Publishing on the Hub\n\n"
        + "This folder is laid out as a Hub dataset repository (nothing was pushed). Upload it with the Hub's CLI"
        + " (`pip install -U huggingface_hub`, then `hf auth login`):\n\n"
        + "```sh\nhf upload USER/NAME . . --repo-type dataset\n"
        + "# older huggingface_hub: huggingface-cli upload USER/NAME . . --repo-type=dataset\n```\n\n"
        + "Then, or from this folder before pushing:\n\n"
        + "```python\nfrom datasets import load_dataset\n"
        + "ds = load_dataset(\"USER/NAME\", \"" + defaultConfig + "\")  # or load_dataset(\"path/to/this/folder\", \""
        + defaultConfig + "\")\n```\n";
  }

  private static void prepare(Path hubDir) {
    try {
      if (Files.isDirectory(hubDir)) {
        try (Stream<Path> list = Files.list(hubDir)) {
          List<String> other =
              list.map(p -> p.getFileName().toString()).filter(n -> !Set.of(RunExport.CARD, "data").contains(n)).sorted()
                  .toList();
          if (!other.isEmpty()) {
            throw new InputException(hubDir.toString(), 0, null,
                "holds files Assay did not lay out (" + String.join(", ", other) + "): choose an empty folder");
          }
        }
        deleteTree(hubDir.resolve("data"));
      } else if (Files.exists(hubDir)) {
        throw new InputException(hubDir.toString(), 0, null, "not a folder");
      }
      Files.createDirectories(hubDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + hubDir, e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static int copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      return 1;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }
}
