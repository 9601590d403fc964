package dev.assay.export;

import dev.assay.curation.pairs.SftExample;

/**
 * Maps an {@link SftExample} to its row in one trainer format. Implementations are stateless; the row includes the
 * string field {@code id} and otherwise exactly the documented fields.
 */
public interface SftExporter {
  /** The format's name on the command line and the folder under {@code export/}. */
  String format();

  ExportRow row(SftExample example);

  /** The record class of every row's {@link ExportRow#row()}: the Parquet schema is derived from it. */
  Class<? extends Record> rowType();

  /** Whether the format can carry a system message. */
  boolean carriesSystem();
}
