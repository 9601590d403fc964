package dev.assay.export;

import java.util.List;
import java.util.Objects;

/**
 * {@code export/<format>/metrics.json}: what one export wrote. {@code records = trainRecords + testRecords}; rows
 * differ from records only for KTO (two rows per pair).
 *
 * @param format the format name
 * @param runId the run's id, from its manifest
 * @param source the file the records came from ({@code pairs/pairs.jsonl} or {@code sft/sft.jsonl}, relative to the
 *     run folder)
 * @param sourceSha256 SHA-256 of that file as read
 * @param records pairs or SFT examples read
 * @param trainRecords records in the train split
 * @param testRecords records in the test split
 * @param trainRows rows in the train split
 * @param testRows rows in the test split
 * @param metadataRows lines in {@code metadata.jsonl} (= train rows + test rows)
 * @param testFraction the split's test fraction
 * @param seed the split's seed
 * @param systemMessagesDropped records whose system message this format could not carry
 * @param labelSmoothing {@code 1 - C}, or null when consistency was not measured
 * @param labelSmoothingSource where {@code labelSmoothing} came from
 * @param command the export command that wrote it
 * @param files the files written, relative to the export folder
 * @param fileFormat how the train and test splits are stored; absent (an export by an older Assay) means JSONL
 */
public record ExportMetrics(
    String format,
    String runId,
    String source,
    String sourceSha256,
    long records,
    long trainRecords,
    long testRecords,
    long trainRows,
    long testRows,
    long metadataRows,
    double testFraction,
    long seed,
    long systemMessagesDropped,
    Double labelSmoothing,
    String labelSmoothingSource,
    String command,
    List<String> files,
    FileFormat fileFormat) {
  public ExportMetrics {
    Objects.requireNonNull(format, "format");
    fileFormat = fileFormat == null ? FileFormat.JSONL : fileFormat;
    files = files == null ? List.of() : List.copyOf(files);
    if (records != trainRecords + testRecords || metadataRows != trainRows + testRows) {
      throw new IllegalStateException("export of " + format + " does not account: " + records + " records, "
          + trainRecords + " train + " + testRecords + " test; " + metadataRows + " metadata rows");
    }
  }
}
