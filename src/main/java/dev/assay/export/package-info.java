/**
 * Export: curated pairs and SFT examples written in the file formats trainers read (TRL standard and
 * conversational preference, TRL KTO, TRL SFT, OpenRLHF), with a deterministic train/test split, a metadata sidecar
 * joined by id, {@code metrics.json} and a dataset card; the splits as JSON Lines or Parquet
 * ({@link dev.assay.export.FileFormat}, written by {@code dev.assay.export.parquet}).
 * {@link dev.assay.export.RunExport} is the entry point; one small class per format maps a record to its rows.
 */
package dev.assay.export;
