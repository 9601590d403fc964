package dev.assay.export.parquet;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows written by {@link ParquetRowWriter} read back equal to their JSON form (parquet-column's record reader over our
 * layout), with the footer's schema, row counts and row groups as the format defines them.
 */
class ParquetRowWriterTest {
  /** A message as the conversational exports hold it. */
  record Turn(String role, String content) {}

  /** A row with every shape the exports use: strings, a boolean, a whole number and a list of structs. */
  record Row(String id, String text, boolean label, long n, List<Turn> turns) {}

  @TempDir Path tmp;

  private static List<Row> awkwardRows(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Turn> turns = switch (i % 4) {
        case 0 -> List.of();
        case 1 -> List.of(new Turn("user", ""));
        case 2 -> List.of(new Turn("system", "Be brief.\n\"quoted\"\t\\"), new Turn("user", "café ñ 日本語 😀 — " + i));
        default -> List.of(new Turn("assistant", "x".repeat(i)));
      };
      rows.add(new Row(String.format("r-%05d", i), i % 5 == 0 ? "" : "text " + i, i % 2 == 0, i * 1_000_000_007L, turns));
    }
    return rows;
  }

  @Test
  void schemaFollowsTheJsonFieldsWithListsOfStructsAndEveryColumnRequired() {
    RowSchema s = RowSchema.of(Row.class);
    assertThat(s.message().toString(), is("""
        message Row {
          required binary id (STRING);
          required boolean label;
          required int64 n;
          required binary text (STRING);
          required group turns (LIST) {
            repeated group list {
              required group element {
                required binary content (STRING);
                required binary role (STRING);
              }
            }
          }
        }
        """));
  }

  @Test
  void rowsReadBackEqualToTheirJsonAcrossRowGroups() throws IOException {
    List<Row> rows = awkwardRows(500);
    rows.add(250, new Row("big", "y".repeat(3 << 20), true, -1, List.of(new Turn("user", "z".repeat(2 << 20)))));
    Path file = tmp.resolve("rows.parquet");
    RowSchema schema = RowSchema.of(Row.class);
    // Small row groups so that the file has several, and pages larger than the 1 MB page threshold.
    try (ParquetRowWriter w = new ParquetRowWriter(file, schema, ParquetRowWriter.Compression.GZIP, 16 << 10)) {
      rows.forEach(w::write);
      assertThat(w.rows(), is(501L));
    }
    FileMetaData meta = ParquetFiles.footer(file);
    assertThat(meta.getNum_rows(), is(501L));
    assertThat(meta.getRow_groups().size(), greaterThan(1));
    assertThat(meta.getRow_groups().stream().mapToLong(RowGroup::getNum_rows).sum(), is(501L));
    List<JsonNode> read = ParquetFiles.rows(file, schema.message());
    assertThat(read.size(), is(rows.size()));
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).id(), read.get(i), is((JsonNode) Json.mapper().valueToTree(rows.get(i))));
    }
  }

  @Test
  void footerStatesTypesNullabilityAndLogicalTypes() throws IOException {
    Path file = tmp.resolve("one.parquet");
    ParquetRowWriter.write(file, RowSchema.of(Row.class), awkwardRows(3));
    FileMetaData meta = ParquetFiles.footer(file);
    assertThat(meta.getCreated_by(), is(ParquetRowWriter.CREATED_BY));
    List<String> names = meta.getSchema().stream().map(SchemaElement::getName).toList();
    assertThat(names, contains("Row", "id", "label", "n", "text", "turns", "list", "element", "content", "role"));
    SchemaElement turns = meta.getSchema().get(5);
    assertThat(turns.getConverted_type(), is(ConvertedType.LIST));
    assertThat(turns.getLogicalType().isSetLIST(), is(true));
    assertThat(meta.getSchema().get(6).getRepetition_type(), is(FieldRepetitionType.REPEATED));
    SchemaElement id = meta.getSchema().get(1);
    assertThat(id.getRepetition_type(), is(FieldRepetitionType.REQUIRED));
    assertThat(id.getLogicalType().isSetSTRING(), is(true));
    assertThat(meta.getRow_groups().get(0).getColumns().size(), is(6));
  }

  @Test
  void anEmptyFileHasTheSchemaAndNoRowGroup() throws IOException {
    Path file = tmp.resolve("empty.parquet");
    ParquetRowWriter.write(file, RowSchema.of(Row.class), List.of());
    FileMetaData meta = ParquetFiles.footer(file);
    assertThat(meta.getNum_rows(), is(0L));
    assertThat(meta.getRow_groups().size(), is(0));
    assertThat(meta.getSchema().size(), is(10));
  }

  @Test
  void sameRowsGiveSameBytesCompressedOrNot() throws IOException {
    for (ParquetRowWriter.Compression c : ParquetRowWriter.Compression.values()) {
      Path a = tmp.resolve("a-" + c + ".parquet");
      Path b = tmp.resolve("b-" + c + ".parquet");
      for (Path p : List.of(a, b)) {
        try (ParquetRowWriter w = new ParquetRowWriter(p, RowSchema.of(Row.class), c, ParquetRowWriter.ROW_GROUP_BYTES)) {
          awkwardRows(50).forEach(w::write);
        }
      }
      assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), c.toString());
      assertThat(ParquetFiles.rows(a, RowSchema.of(Row.class).message()).size(), is(50));
    }
  }

  @Test
  void aNullOrAForeignRowIsRefusedNamingTheField() {
    Path file = tmp.resolve("bad.parquet");
    try (ParquetRowWriter w = ParquetRowWriter.open(file, RowSchema.of(Row.class))) {
      var e = assertThrows(IllegalArgumentException.class, () -> w.write(new Row("a", null, true, 1, List.of())));
      assertThat(e.getMessage(), containsString("Row.text: null"));
      var f = assertThrows(IllegalArgumentException.class, () -> w.write(new Turn("user", "x")));
      assertThat(f.getMessage(), containsString("a row of " + Turn.class.getName()));
    }
  }

  @Test
  void aTypeWithoutAParquetMappingIsRefusedWhenTheSchemaIsBuilt() {
    record WithMap(String id, java.util.Map<String, String> extra) {}
    var e = assertThrows(IllegalArgumentException.class, () -> RowSchema.of(WithMap.class));
    assertThat(e.getMessage(), containsString("extra"));
  }
}
