/**
 * Parquet files of export rows, written without Hadoop: {@link dev.assay.export.parquet.RowSchema} derives a file's
 * schema from the row record (the same field names and nesting Jackson writes to the JSONL files), and
 * {@link dev.assay.export.parquet.ParquetRowWriter} writes the rows with parquet-column's maintained encoders
 * (repetition and definition levels, PLAIN pages) and parquet-format-structures' Thrift footer, laid out in the file
 * by this package ({@code PAR1}, column chunks, footer, footer length, {@code PAR1}). Nothing here knows a trainer
 * format; {@code dev.assay.export} decides which rows go to which file.
 */
package dev.assay.export.parquet;
