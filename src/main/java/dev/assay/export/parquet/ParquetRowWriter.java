package dev.assay.export.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.ListType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Writes rows of one record type to a Parquet file, without Hadoop: parquet-column turns each row into repetition
 * and definition levels and PLAIN-encoded pages (format version 1, no dictionary), and this class lays the file out
 * as the Parquet specification does: {@code PAR1}, each row group's column chunks (page header, page), the Thrift
 * {@code FileMetaData} footer, its length as 4 little-endian bytes, {@code PAR1}.
 *
 * <p>Contract: rows are written in the order given; a row group is closed once about {@link #ROW_GROUP_BYTES} are
 * buffered, so memory stays bounded whatever the file's size; a file with no rows is valid (schema, zero row
 * groups). The bytes depend only on the rows, the schema and the compression (no timestamps, no host), so the same
 * export writes the same file. Pages are GZIP-compressed by default ({@code java.util.zip}: no native codec).
 *
 * <p>Failure modes: a row of another type, or holding a null where the schema is {@code required}, is an
 * {@link IllegalArgumentException} naming the field (the file is then incomplete: the caller writes into a temporary
 * folder and discards it); an I/O error is an {@link UncheckedIOException}. Not thread-safe.
 */
public final class ParquetRowWriter implements AutoCloseable {
  /** Buffered bytes at which a row group is closed: large enough for fast scans, small enough to hold in memory. */
  public static final long ROW_GROUP_BYTES = 64L << 20;

  /** The text readers show as the file's writer; no version of Assay in it, so a rebuild writes the same bytes. */
  static final String CREATED_BY = "Assay export (parquet-column 1.18.2 encoders)";

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  /** How pages are compressed. */
  public enum Compression {
    UNCOMPRESSED(CompressionCodec.UNCOMPRESSED),
    GZIP(CompressionCodec.GZIP);

    private final CompressionCodec codec;

    Compression(CompressionCodec codec) {
      this.codec = codec;
    }

    CompressionCodec codec() {
      return codec;
    }

    byte[] compress(byte[] raw) throws IOException {
      if (this == UNCOMPRESSED) {
        return raw;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3 + 64);
      // GZIPOutputStream writes a fixed header (no file name, modification time 0): deterministic bytes. The
      // fastest level: GZIP's higher levels spend several times the CPU for a few percent of size, and readers
      // decompress every level at the same speed.
      try (GZIPOutputStream z = new FastGzip(out)) {
        z.write(raw);
      }
      return out.toByteArray();
    }
  }

  /** GZIP at {@link Deflater#BEST_SPEED}. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  private final RowSchema schema;
  private final Compression compression;
  private final long rowGroupBytes;
  private final OutputStream out;
  private final ParquetProperties properties;
  private final MessageColumnIO columnIO;
  private final List<RowGroup> rowGroups = new ArrayList<>();
  private long position;
  private long rows;
  private boolean closed;

  // The open row group.
  private Map<ColumnDescriptor, ColumnChunkBuffer> chunks;
  private ColumnWriteStore columns;
  private RecordConsumer consumer;
  private long groupRows;

  ParquetRowWriter(Path file, RowSchema schema, Compression compression, long rowGroupBytes) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.compression = Objects.requireNonNull(compression, "compression");
    if (rowGroupBytes <= 0) {
      throw new IllegalArgumentException("rowGroupBytes must be positive: " + rowGroupBytes);
    }
    this.rowGroupBytes = rowGroupBytes;
    this.properties =
        ParquetProperties.builder()
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .withDictionaryEncoding(false)
            // Page statistics are not written (ColumnChunkBuffer says why): do not spend time computing them.
            .withStatisticsEnabled(false)
            .withSizeStatisticsEnabled(false)
            .build();
    this.columnIO = new ColumnIOFactory().getColumnIO(schema.message());
    try {
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
      write(MAGIC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    openRowGroup();
  }

  /** Opens {@code file} (replacing it) for rows of {@code schema}, GZIP-compressed. */
  public static ParquetRowWriter open(Path file, RowSchema schema) {
    return new ParquetRowWriter(file, schema, Compression.GZIP, ROW_GROUP_BYTES);
  }

  /** Writes {@code rows} to {@code file} in one go; see {@link #open}. */
  public static void write(Path file, RowSchema schema, Iterable<?> rows) {
    try (ParquetRowWriter w = open(file, schema)) {
      for (Object row : rows) {
        w.write(row);
      }
    }
  }

  /** Appends one row: an instance of the schema's row type. */
  public void write(Object row) {
    if (closed) {
      throw new IllegalStateException("the Parquet file is closed");
    }
    if (!schema.rowType().isInstance(row)) {
      throw new IllegalArgumentException(
          "a row of " + (row == null ? "null" : row.getClass().getName()) + " in a file of " + schema.rowType().getName());
    }
    // The row's JSON tree: the Parquet columns carry exactly what the JSONL line carries.
    JsonNode node = Json.mapper().valueToTree(row);
    consumer.startMessage();
    writeFields(schema.row(), node, schema.rowType().getSimpleName());
    consumer.endMessage();
    groupRows++;
    rows++;
    if (columns.getBufferedSize() + bufferedChunkBytes() >= rowGroupBytes) {
      closeRowGroup();
      openRowGroup();
    }
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Closes the last row group and writes the footer. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (OutputStream o = out) {
      closeRowGroup();
      FileMetaData meta = new FileMetaData(1, schemaElements(schema.message()), rows, rowGroups);
      meta.setCreated_by(CREATED_BY);
      ByteArrayOutputStream footer = new ByteArrayOutputStream();
      Util.writeFileMetaData(meta, footer);
      write(footer.toByteArray());
      int n = footer.size();
      write(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
      write(MAGIC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish the Parquet file", e);
    }
  }

  private void writeFields(RowSchema.Struct struct, JsonNode node, String where) {
    int index = 0;
    for (RowSchema.Field f : struct.fields()) {
      JsonNode v = node.get(f.name());
      String at = where + "." + f.name();
      if (v == null || v.isNull()) {
        throw new IllegalArgumentException(at + ": null, but the Parquet column is required (rows never hold null)");
      }
      consumer.startField(f.name(), index);
      writeValue(f.shape(), v, at);
      consumer.endField(f.name(), index);
      index++;
    }
  }

  private void writeValue(RowSchema.Shape shape, JsonNode v, String where) {
    if (shape instanceof RowSchema.Text) {
      require(v.isTextual(), where, "text");
      consumer.addBinary(Binary.fromString(v.textValue()));
    } else if (shape instanceof RowSchema.Flag) {
      require(v.isBoolean(), where, "a boolean");
      consumer.addBoolean(v.booleanValue());
    } else if (shape instanceof RowSchema.Whole) {
      require(v.isIntegralNumber() && v.canConvertToLong(), where, "a whole number");
      consumer.addLong(v.longValue());
    } else if (shape instanceof RowSchema.Real) {
      require(v.isNumber(), where, "a number");
      consumer.addDouble(v.doubleValue());
    } else if (shape instanceof RowSchema.Struct s) {
      require(v.isObject(), where, "an object");
      consumer.startGroup();
      writeFields(s, v, where);
      consumer.endGroup();
    } else {
      RowSchema.ListOf list = (RowSchema.ListOf) shape;
      require(v.isArray(), where, "a list");
      consumer.startGroup();
      if (!v.isEmpty()) {
        // An empty list is the LIST group with no repeated field: a definition level, no element.
        consumer.startField(RowSchema.LIST, 0);
        for (int i = 0; i < v.size(); i++) {
          JsonNode e = v.get(i);
          String at = where + "[" + i + "]";
          if (e == null || e.isNull()) {
            throw new IllegalArgumentException(at + ": null, but list elements are required");
          }
          consumer.startGroup();
          consumer.startField(RowSchema.ELEMENT, 0);
          writeValue(list.element(), e, at);
          consumer.endField(RowSchema.ELEMENT, 0);
          consumer.endGroup();
        }
        consumer.endField(RowSchema.LIST, 0);
      }
      consumer.endGroup();
    }
  }

  private static void require(boolean ok, String where, String what) {
    if (!ok) {
      throw new IllegalArgumentException(where + ": expected " + what + " for its Parquet column");
    }
  }

  private void openRowGroup() {
    chunks = new LinkedHashMap<>();
    for (ColumnDescriptor c : schema.message().getColumns()) {
      chunks.put(c, new ColumnChunkBuffer(compression));
    }
    columns = properties.newColumnWriteStore(schema.message(), chunks::get);
    consumer = columnIO.getRecordWriter(columns);
    groupRows = 0;
  }

  private long bufferedChunkBytes() {
    long sum = 0;
    for (ColumnChunkBuffer c : chunks.values()) {
      sum += c.storedBytes();
    }
    return sum;
  }

  /** Lays out the open row group's column chunks and remembers their metadata for the footer. */
  private void closeRowGroup() throws UncheckedIOException {
    if (groupRows == 0) {
      columns.close();
      return;
    }
    // The record consumer holds back the nulls of empty lists until the next value or a flush: flush it first, or
    // the column store would close a chunk that lacks those rows.
    consumer.flush();
    columns.flush();
    List<ColumnChunk> meta = new ArrayList<>();
    long start = position;
    long uncompressed = 0;
    long stored = 0;
    try {
      for (Map.Entry<ColumnDescriptor, ColumnChunkBuffer> e : chunks.entrySet()) {
        ColumnChunkBuffer chunk = e.getValue();
        long offset = position;
        chunk.writeTo(out);
        position += chunk.storedBytes();
        ColumnMetaData m =
            new ColumnMetaData(
                physical(e.getKey().getPrimitiveType().getPrimitiveTypeName()),
                chunk.encodings(),
                List.of(e.getKey().getPath()),
                compression.codec(),
                chunk.values(),
                chunk.uncompressedBytes(),
                chunk.storedBytes(),
                offset);
        // file_offset is deprecated; the format asks writers for 0 when no ColumnMetaData lies outside the footer.
        ColumnChunk c = new ColumnChunk(0);
        c.setMeta_data(m);
        meta.add(c);
        uncompressed += chunk.uncompressedBytes();
        stored += chunk.storedBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Parquet row group", e);
    }
    RowGroup group = new RowGroup(meta, uncompressed, groupRows);
    group.setFile_offset(start);
    group.setTotal_compressed_size(stored);
    group.setOrdinal((short) rowGroups.size());
    rowGroups.add(group);
    columns.close();
  }

  private void write(byte[] b) throws IOException {
    out.write(b);
    position += b.length;
  }

  /** The footer's flattened schema: the root, then every field depth-first, as the format stores it. */
  static List<SchemaElement> schemaElements(MessageType message) {
    List<SchemaElement> out = new ArrayList<>();
    SchemaElement root = new SchemaElement(message.getName());
    root.setNum_children(message.getFieldCount());
    out.add(root);
    message.getFields().forEach(t -> add(t, out));
    return out;
  }

  private static void add(Type t, List<SchemaElement> out) {
    SchemaElement e = new SchemaElement(t.getName());
    e.setRepetition_type(FieldRepetitionType.valueOf(t.getRepetition().name()));
    if (t.isPrimitive()) {
      e.setType(physical(t.asPrimitiveType().getPrimitiveTypeName()));
    } else {
      e.setNum_children(t.asGroupType().getFieldCount());
    }
    LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
    if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
      // Both annotations: the converted type for older readers, the logical type for newer ones.
      e.setConverted_type(ConvertedType.UTF8);
      e.setLogicalType(LogicalType.STRING(new StringType()));
    } else if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      e.setConverted_type(ConvertedType.LIST);
      e.setLogicalType(LogicalType.LIST(new ListType()));
    } else if (a != null) {
      throw new IllegalStateException("no footer mapping for the annotation " + a + " of " + t.getName());
    }
    out.add(e);
    if (!t.isPrimitive()) {
      t.asGroupType().getFields().forEach(c -> add(c, out));
    }
  }

  private static org.apache.parquet.format.Type physical(PrimitiveTypeName name) {
    return switch (name) {
      case BOOLEAN -> org.apache.parquet.format.Type.BOOLEAN;
      case INT32 -> org.apache.parquet.format.Type.INT32;
      case INT64 -> org.apache.parquet.format.Type.INT64;
      case INT96 -> org.apache.parquet.format.Type.INT96;
      case FLOAT -> org.apache.parquet.format.Type.FLOAT;
      case DOUBLE -> org.apache.parquet.format.Type.DOUBLE;
      case BINARY -> org.apache.parquet.format.Type.BYTE_ARRAY;
      case FIXED_LEN_BYTE_ARRAY -> org.apache.parquet.format.Type.FIXED_LEN_BYTE_ARRAY;
    };
  }
}
