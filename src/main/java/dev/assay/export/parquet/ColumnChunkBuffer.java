package dev.assay.export.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;

/**
 * One column chunk of one row group, held in memory until the row group is laid out: the pages parquet-column's
 * column writer hands over (levels and PLAIN values, format version 1), each compressed and preceded by its Thrift
 * {@code PageHeader}, plus the totals the footer's {@code ColumnMetaData} needs.
 *
 * <p>Only data pages of format version 1 arrive here: {@link ParquetRowWriter} configures the writer version and turns
 * dictionaries off, so a dictionary or a version 2 page is a programming error ({@link IllegalStateException}).
 */
final class ColumnChunkBuffer implements PageWriter {
  private final ParquetRowWriter.Compression compression;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final Set<org.apache.parquet.format.Encoding> encodings = new LinkedHashSet<>();
  private long values;
  private long uncompressedBytes;

  ColumnChunkBuffer(ParquetRowWriter.Compression compression) {
    this.compression = compression;
  }

  @Override
  public void writePage(BytesInput data, int valueCount, Statistics<?> statistics, Encoding rl, Encoding dl, Encoding v)
      throws IOException {
    page(data, valueCount, rl, dl, v);
  }

  @Override
  public void writePage(
      BytesInput data, int valueCount, int rowCount, Statistics<?> statistics, Encoding rl, Encoding dl, Encoding v)
      throws IOException {
    page(data, valueCount, rl, dl, v);
  }

  @Override
  public void writePage(
      BytesInput data,
      int valueCount,
      int rowCount,
      Statistics<?> statistics,
      SizeStatistics sizeStatistics,
      Encoding rl,
      Encoding dl,
      Encoding v)
      throws IOException {
    page(data, valueCount, rl, dl, v);
  }

  @Override
  public void writePage(
      BytesInput data,
      int valueCount,
      int rowCount,
      Statistics<?> statistics,
      SizeStatistics sizeStatistics,
      GeospatialStatistics geospatialStatistics,
      Encoding rl,
      Encoding dl,
      Encoding v)
      throws IOException {
    page(data, valueCount, rl, dl, v);
  }

  /**
   * Statistics are not written: they are optional in the format, and min/max of long texts would only grow the
   * file. Readers then simply do not skip pages by value, which nothing reading a training set needs.
   */
  private void page(BytesInput data, int valueCount, Encoding rl, Encoding dl, Encoding v) throws IOException {
    byte[] raw = data.toByteArray();
    byte[] stored = compression.compress(raw);
    PageHeader header = new PageHeader(PageType.DATA_PAGE, raw.length, stored.length);
    header.setData_page_header(new DataPageHeader(valueCount, format(v), format(dl), format(rl)));
    int before = bytes.size();
    Util.writePageHeader(header, bytes);
    int headerSize = bytes.size() - before;
    bytes.write(stored);
    values += valueCount;
    uncompressedBytes += headerSize + raw.length;
    encodings.add(format(rl));
    encodings.add(format(dl));
    encodings.add(format(v));
  }

  @Override
  public void writePageV2(
      int rowCount,
      int nullCount,
      int valueCount,
      BytesInput repetitionLevels,
      BytesInput definitionLevels,
      Encoding dataEncoding,
      BytesInput data,
      Statistics<?> statistics) {
    throw new IllegalStateException("Assay writes data pages of format version 1 only");
  }

  @Override
  public void writeDictionaryPage(DictionaryPage dictionaryPage) {
    throw new IllegalStateException("Assay writes Parquet without dictionaries");
  }

  @Override
  public long getMemSize() {
    return bytes.size();
  }

  @Override
  public long allocatedSize() {
    return bytes.size();
  }

  @Override
  public String memUsageString(String prefix) {
    return prefix + " column chunk: " + bytes.size() + " bytes";
  }

  /** Values written (levels included: one per leaf slot, as the footer counts them). */
  long values() {
    return values;
  }

  /** Bytes of the chunk as stored: page headers plus compressed pages. */
  long storedBytes() {
    return bytes.size();
  }

  /** Bytes of the chunk before compression: page headers plus raw pages. */
  long uncompressedBytes() {
    return uncompressedBytes;
  }

  /** The encodings its pages used, in the order they were first met. */
  List<org.apache.parquet.format.Encoding> encodings() {
    return new ArrayList<>(encodings);
  }

  void writeTo(OutputStream out) throws IOException {
    bytes.writeTo(out);
  }

  private static org.apache.parquet.format.Encoding format(Encoding e) {
    // parquet-column's encodings and the Thrift enum share their names (PLAIN, RLE, BIT_PACKED, ...).
    return org.apache.parquet.format.Encoding.valueOf(e.name());
  }
}
