package dev.assay.export;

import dev.assay.curation.pairs.PreferencePair;
import java.util.List;

/**
 * Maps a {@link PreferencePair} to the rows of one trainer format. Implementations are stateless.
 *
 * <p>Contract: every row includes the string field {@code id} and otherwise exactly the fields the trainer's
 * documented format names, with the documented JSON types and no nulls.
 */
public interface PairExporter {
  /** The format's name on the command line and the folder under {@code export/}. */
  String format();

  /** The rows for one pair (one for paired formats, two for KTO). */
  List<ExportRow> rows(PreferencePair pair);

  /** The record class of every row's {@link ExportRow#row()}: the Parquet schema is derived from it. */
  Class<? extends Record> rowType();

  /** Whether the format can carry a system message; when not, exports count the pairs whose system was dropped. */
  boolean carriesSystem();
}
