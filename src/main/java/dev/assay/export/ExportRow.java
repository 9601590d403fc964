package dev.assay.export;

import java.util.Objects;

/**
 * One row of a trainer file, before it is written: its id (the join key of the metadata sidecar) and the record
 * whose JSON form is the row.
 *
 * @param id unique within the file; for paired formats the pair id, for KTO the pair id plus {@code /chosen} or
 *     {@code /rejected}
 * @param row a record whose JSON form (snake_case, sorted keys) is exactly the trainer's row
 * @param side for KTO rows: {@code chosen} or {@code rejected}; null for rows that carry both sides
 */
public record ExportRow(String id, Object row, String side) {
  public ExportRow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(row, "row");
  }
}
