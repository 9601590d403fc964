package dev.assay.export;

import dev.assay.io.Folders;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.SftExample;
import dev.assay.export.parquet.ParquetRowWriter;
import dev.assay.export.parquet.RowSchema;
import dev.assay.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes one format's folder: the {@code train} and {@code test} splits ({@code .jsonl} or {@code .parquet}, see
 * {@link FileFormat}) and {@code metadata.jsonl}, each sorted by row id so a rerun writes identical bytes. The folder
 * is built beside the target and moved into place, so a failed export never leaves half a folder where a trainer
 * would read it. A Parquet split holds the same rows as the JSONL one would, with the schema of the exporter's row
 * type; an empty split is still written (a valid file with the schema and no rows), as an empty JSONL file is.
 */
final class DatasetWriter {
  static final String METADATA = "metadata.jsonl";

  /** What was written. */
  record Written(
      long records, long trainRecords, long testRecords, long trainRows, long testRows, long systemDropped) {}

  private DatasetWriter() {}

  /** The file name of a split ({@code train} or {@code test}) in a format's folder. */
  static String splitFile(String split, FileFormat fileFormat) {
    return split + "." + fileFormat.wire();
  }

  static Written pairs(
      Path formatDir, List<PreferencePair> pairs, PairExporter exporter, TrainTestSplit split, FileFormat fileFormat) {
    List<Line> train = new ArrayList<>();
    List<Line> test = new ArrayList<>();
    List<Line> meta = new ArrayList<>();
    long trainRecords = 0;
    long dropped = 0;
    for (PreferencePair p : pairs) {
      boolean isTest = split.isTest(p.id());
      boolean systemDropped = !exporter.carriesSystem() && p.system() != null && !p.system().isEmpty();
      trainRecords += isTest ? 0 : 1;
      dropped += systemDropped ? 1 : 0;
      for (ExportRow row : exporter.rows(p)) {
        (isTest ? test : train).add(new Line(row.id(), Json.line(row.row()), row.row()));
        meta.add(new Line(row.id(), Json.line(PairMetadata.of(row, p, split.side(p.id()), systemDropped)), null));
      }
    }
    write(formatDir, new Splits(fileFormat, exporter.rowType(), train, test, meta));
    return new Written(pairs.size(), trainRecords, pairs.size() - trainRecords, train.size(), test.size(), dropped);
  }

  static Written sft(
      Path formatDir, List<SftExample> examples, SftExporter exporter, TrainTestSplit split, FileFormat fileFormat) {
    List<Line> train = new ArrayList<>();
    List<Line> test = new ArrayList<>();
    List<Line> meta = new ArrayList<>();
    long dropped = 0;
    for (SftExample e : examples) {
      boolean isTest = split.isTest(e.id());
      boolean systemDropped = !exporter.carriesSystem() && e.system() != null && !e.system().isEmpty();
      dropped += systemDropped ? 1 : 0;
      ExportRow row = exporter.row(e);
      (isTest ? test : train).add(new Line(row.id(), Json.line(row.row()), row.row()));
      meta.add(new Line(row.id(), Json.line(SftMetadata.of(e, split.side(e.id()), systemDropped)), null));
    }
    write(formatDir, new Splits(fileFormat, exporter.rowType(), train, test, meta));
    return new Written(examples.size(), train.size(), test.size(), train.size(), test.size(), dropped);
  }

  /** One row: its id, its JSON line, and the row record (for Parquet; null for sidecar lines). */
  private record Line(String id, String json, Object row) {}

  /** What one format's folder holds before it is written. */
  private record Splits(FileFormat fileFormat, Class<? extends Record> rowType, List<Line> train, List<Line> test,
      List<Line> meta) {}

  private static void write(Path formatDir, Splits s) {
    Path tmp = formatDir.resolveSibling("." + formatDir.getFileName() + ".tmp");
    try {
      Folders.deleteRecursively(tmp);
      Files.createDirectories(tmp);
      if (s.fileFormat() == FileFormat.PARQUET) {
        RowSchema schema = RowSchema.of(s.rowType());
        ParquetRowWriter.write(tmp.resolve(splitFile("train", s.fileFormat())), schema, sortedRows(s.train()));
        ParquetRowWriter.write(tmp.resolve(splitFile("test", s.fileFormat())), schema, sortedRows(s.test()));
      } else {
        writeSorted(tmp.resolve(splitFile("train", s.fileFormat())), s.train());
        writeSorted(tmp.resolve(splitFile("test", s.fileFormat())), s.test());
      }
      writeSorted(tmp.resolve(METADATA), s.meta());
      Folders.deleteRecursively(formatDir);
      Files.move(tmp, formatDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + formatDir, e);
    }
  }

  private static List<Object> sortedRows(List<Line> lines) {
    return lines.stream().sorted(Comparator.comparing(Line::id)).map(Line::row).toList();
  }

  private static void writeSorted(Path file, List<Line> lines) throws IOException {
    List<Line> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparing(Line::id));
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Line l : sorted) {
        w.write(l.json());
        w.write('\n');
      }
    }
  }

  static void writeAtomically(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

}
