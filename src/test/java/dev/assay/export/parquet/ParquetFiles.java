package dev.assay.export.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * A small Parquet reader for tests: the footer with parquet-format-structures, the pages with our own reading of
 * the layout (page header, GZIP or plain page), the levels and values with parquet-column's record reader. It reads
 * what {@link ParquetRowWriter} writes (format version 1 data pages, no dictionary), not Parquet in general; pyarrow
 * (scripts/hf-consumers) is the independent reader.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /** The footer, after checking both magics and the length word. */
  public static FileMetaData footer(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    String head = new String(b, 0, 4, StandardCharsets.US_ASCII);
    String tail = new String(b, b.length - 4, 4, StandardCharsets.US_ASCII);
    if (!head.equals("PAR1") || !tail.equals("PAR1")) {
      throw new IOException(file + ": no PAR1 magic (" + head + ", " + tail + ")");
    }
    int length = ByteBuffer.wrap(b, b.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return Util.readFileMetaData(new ByteArrayInputStream(b, b.length - 8 - length, length));
  }

  /** Every row of the file as the JSON tree it was written from, reading with {@code schema}. */
  public static List<JsonNode> rows(Path file, MessageType schema) throws IOException {
    byte[] b = Files.readAllBytes(file);
    FileMetaData meta = footer(file);
    List<JsonNode> out = new ArrayList<>();
    for (RowGroup g : meta.getRow_groups()) {
      Map<List<String>, Deque<DataPage>> pages = new HashMap<>();
      Map<List<String>, Long> counts = new HashMap<>();
      for (ColumnChunk c : g.getColumns()) {
        var m = c.getMeta_data();
        InputStream in = new ByteArrayInputStream(b, (int) m.getData_page_offset(), (int) m.getTotal_compressed_size());
        Deque<DataPage> queue = new ArrayDeque<>();
        long values = 0;
        while (in.available() > 0) {
          PageHeader h = Util.readPageHeader(in);
          if (h.getType() != PageType.DATA_PAGE) {
            throw new IOException("unexpected page " + h.getType());
          }
          byte[] stored = in.readNBytes(h.getCompressed_page_size());
          byte[] raw = m.getCodec() == CompressionCodec.GZIP
              ? new GZIPInputStream(new ByteArrayInputStream(stored)).readAllBytes() : stored;
          if (raw.length != h.getUncompressed_page_size()) {
            throw new IOException("page is " + raw.length + " bytes, its header says " + h.getUncompressed_page_size());
          }
          var d = h.getData_page_header();
          queue.add(new DataPageV1(BytesInput.from(raw), d.getNum_values(), raw.length, null,
              Encoding.valueOf(d.getRepetition_level_encoding().name()),
              Encoding.valueOf(d.getDefinition_level_encoding().name()), Encoding.valueOf(d.getEncoding().name())));
          values += d.getNum_values();
        }
        if (values != m.getNum_values()) {
          throw new IOException(m.getPath_in_schema() + ": pages hold " + values + " values, the footer says " + m.getNum_values());
        }
        pages.put(m.getPath_in_schema(), queue);
        counts.put(m.getPath_in_schema(), values);
      }
      PageReadStore store = new PageReadStore() {
        @Override
        public PageReader getPageReader(ColumnDescriptor c) {
          List<String> path = Arrays.asList(c.getPath());
          Deque<DataPage> queue = pages.get(path);
          return new PageReader() {
            @Override
            public DictionaryPage readDictionaryPage() {
              return null;
            }

            @Override
            public long getTotalValueCount() {
              return counts.get(path);
            }

            @Override
            public DataPage readPage() {
              return queue.poll();
            }
          };
        }

        @Override
        public long getRowCount() {
          return g.getNum_rows();
        }
      };
      RecordReader<Group> reader = new ColumnIOFactory().getColumnIO(schema).getRecordReader(store, new GroupRecordConverter(schema));
      for (long i = 0; i < g.getNum_rows(); i++) {
        out.add(json(reader.read(), schema));
      }
    }
    return out;
  }

  private static ObjectNode json(Group g, GroupType type) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < type.getFieldCount(); i++) {
      Type t = type.getType(i);
      o.set(t.getName(), value(g, i, 0, t));
    }
    return o;
  }

  private static JsonNode value(Group g, int field, int index, Type t) {
    if (t.isPrimitive()) {
      return switch (t.asPrimitiveType().getPrimitiveTypeName()) {
        case BINARY -> JsonNodeFactory.instance.textNode(g.getString(field, index));
        case BOOLEAN -> JsonNodeFactory.instance.booleanNode(g.getBoolean(field, index));
        case INT64 -> JsonNodeFactory.instance.numberNode(g.getLong(field, index));
        case DOUBLE -> JsonNodeFactory.instance.numberNode(g.getDouble(field, index));
        default -> throw new IllegalStateException("no test mapping for " + t);
      };
    }
    Group child = g.getGroup(field, index);
    GroupType gt = t.asGroupType();
    if (!(gt.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
      return json(child, gt);
    }
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    Type element = gt.getType(0).asGroupType().getType(0);
    for (int k = 0; k < child.getFieldRepetitionCount(0); k++) {
      a.add(value(child.getGroup(0, k), 0, 0, element));
    }
    return a;
  }
}
