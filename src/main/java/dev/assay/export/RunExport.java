package dev.assay.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Exports one run folder in one format: reads {@code pairs/pairs.jsonl} or {@code sft/sft.jsonl} and the manifest,
 * writes {@code <out>/<format>/{train,test}.jsonl} (or {@code .parquet}), {@code metadata.jsonl} and
 * {@code metrics.json}, then rewrites
 * {@code <out>/metrics.json} (every format exported so far) and the dataset card {@code <out>/README.md}.
 *
 * <p>Exporting several formats into the same folder is expected (one call per format); the card and the top-level
 * metrics always describe every format present. Deterministic: the same inputs and options give identical bytes.
 * Failure modes: bad or missing input is an {@link InputException} (file, line, field) and nothing is written;
 * an I/O error writing is an {@link UncheckedIOException}.
 */
public final class RunExport {
  public static final String CARD = "README.md";
  public static final String METRICS = "metrics.json";

  /**
   * @param runDir the run (iteration) folder
   * @param format what to write
   * @param outDir the export folder; null means {@code runDir/export}
   * @param split the train/test split
   * @param command the command line, recorded in metrics and the card
   * @param fileFormat how the splits are stored; null means JSONL
   */
  public record Request(
      Path runDir, ExportFormat format, Path outDir, TrainTestSplit split, String command, FileFormat fileFormat) {
    public Request {
      Objects.requireNonNull(runDir, "runDir");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(split, "split");
      outDir = outDir == null ? runDir.resolve("export") : outDir;
      command = command == null ? "" : command;
      fileFormat = fileFormat == null ? FileFormat.JSONL : fileFormat;
    }

    /** A JSONL export. */
    public Request(Path runDir, ExportFormat format, Path outDir, TrainTestSplit split, String command) {
      this(runDir, format, outDir, split, command, FileFormat.JSONL);
    }
  }

  private RunExport() {}

  public static ExportMetrics run(Request request) {
    ExportFormat format = request.format();
    RunInputs inputs = RunInputs.read(request.runDir(), format.fromPairs(), !format.fromPairs());
    LabelSmoothing smoothing = LabelSmoothing.of(inputs.manifest(), inputs.pairs());
    Path formatDir = request.outDir().resolve(format.wire());
    DatasetWriter.Written w =
        format.fromPairs()
            ? DatasetWriter.pairs(formatDir, inputs.pairs(), format.pairExporter(), request.split(), request.fileFormat())
            : DatasetWriter.sft(formatDir, inputs.sft(), format.sftExporter(), request.split(), request.fileFormat());
    String dir = format.wire() + "/";
    ExportMetrics metrics =
        new ExportMetrics(
            format.wire(),
            inputs.runId(),
            format.fromPairs() ? RunInputs.PAIRS : RunInputs.SFT,
            format.fromPairs() ? inputs.pairsSha256() : inputs.sftSha256(),
            w.records(),
            w.trainRecords(),
            w.testRecords(),
            w.trainRows(),
            w.testRows(),
            w.trainRows() + w.testRows(),
            request.split().testFraction(),
            request.split().seed(),
            w.systemDropped(),
            format.fromPairs() ? smoothing.value() : null,
            format.fromPairs() ? smoothing.source() : null,
            request.command(),
            List.of(
                dir + DatasetWriter.splitFile("train", request.fileFormat()),
                dir + DatasetWriter.splitFile("test", request.fileFormat()),
                dir + DatasetWriter.METADATA,
                dir + METRICS),
            request.fileFormat());
    DatasetWriter.writeAtomically(formatDir.resolve(METRICS), Json.pretty(metrics));

    Map<String, ExportMetrics> all = exported(request.outDir(), inputs.runId());
    DatasetWriter.writeAtomically(request.outDir().resolve(METRICS), Json.pretty(all));
    String card = DatasetCard.render(inputs, smoothing, all, rejected(request.runDir().resolve("rejected")));
    DatasetWriter.writeAtomically(request.outDir().resolve(CARD), card);
    return metrics;
  }

  /** Every format's metrics in the export folder that belongs to this run (an older run's export is left out). */
  static Map<String, ExportMetrics> exported(Path outDir, String runId) {
    Map<String, ExportMetrics> out = new TreeMap<>();
    for (ExportFormat f : ExportFormat.values()) {
      Path file = outDir.resolve(f.wire()).resolve(METRICS);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        ExportMetrics m = Json.mapper().readValue(file.toFile(), ExportMetrics.class);
        if (m.runId().equals(runId)) {
          out.put(f.wire(), m);
        }
      } catch (IOException | RuntimeException e) {
        // A metrics file from an older Assay, or edited by hand: the card must not fail for it, and must not
        // describe what it cannot read. The format's files stay on disk; re-export it to list it again.
      }
    }
    return out;
  }

  /**
   * Counts per {@code reason} in every {@code rejected/*.jsonl} (reason codes of every filter, whichever stage wrote
   * them). A line without a reason counts as {@code (no reason field)}; an unreadable line as
   * {@code (unreadable line)}, so the counts still add up to the lines in the file.
   */
  static Map<String, Map<String, Long>> rejected(Path dir) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(p -> p.getFileName().toString().matches(".*\\.jsonl(\\.gz)?")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new InputException(dir.toString(), 0, null, "cannot list: " + e.getMessage());
    }
    for (Path f : files) {
      Map<String, Long> counts = new TreeMap<>();
      try (BufferedReader r = reader(f)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          String reason;
          try {
            JsonNode node = Json.mapper().readTree(line);
            JsonNode v = node == null ? null : node.get("reason");
            reason = v != null && v.isTextual() ? v.asText() : "(no reason field)";
          } catch (IOException e) {
            reason = "(unreadable line)";
          }
          counts.merge(reason, 1L, Long::sum);
        }
      } catch (IOException e) {
        throw new InputException(f.toString(), 0, null, "cannot read: " + e.getMessage());
      }
      out.put(f.getFileName().toString(), counts);
    }
    return out;
  }

  private static BufferedReader reader(Path f) throws IOException {
    var in = Files.newInputStream(f);
    var stream = f.toString().endsWith(".gz") ? new java.util.zip.GZIPInputStream(in) : in;
    return new BufferedReader(new java.io.InputStreamReader(stream, StandardCharsets.UTF_8));
  }
}
