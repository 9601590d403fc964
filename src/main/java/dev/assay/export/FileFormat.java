package dev.assay.export;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How an export stores its train and test splits ({@code ./assay export --file-format}): JSON Lines, the default, or
 * Parquet (one file per split, the same rows; see {@link dev.assay.export.parquet.ParquetRowWriter}). The metadata
 * sidecar is JSON Lines either way: it holds optional fields that are simply absent from a line.
 */
public enum FileFormat {
  JSONL("jsonl"),
  PARQUET("parquet");

  private final String wire;

  FileFormat(String wire) {
    this.wire = wire;
  }

  /** The name on the command line, in {@code metrics.json}, and the files' extension. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /** Parses a command-line or {@code metrics.json} name; {@link IllegalArgumentException} naming the accepted ones. */
  @JsonCreator
  public static FileFormat parse(String name) {
    for (FileFormat f : values()) {
      if (f.wire.equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown file format '" + name + "' (expected one of " + names() + ")");
  }

  public static String names() {
    return Arrays.stream(values()).map(FileFormat::wire).collect(Collectors.joining(", "));
  }

  /**
   * The extension of a (format, split) file of an export folder: the format's own file format for {@code train} and
   * {@code test}, JSONL for the {@code metadata} sidecar and for a format not exported (a placeholder in the card).
   */
  static String extension(Map<String, ExportMetrics> exports, String format, String split) {
    ExportMetrics e = exports.get(format);
    return split.equals("metadata") || e == null ? JSONL.wire : e.fileFormat().wire;
  }
}
