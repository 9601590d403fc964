package dev.assay.export.parquet;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.assay.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema of a row record: one column per property that {@link Json#mapper()} writes (its snake_case
 * name, in the same sorted order as the JSONL line), so a Parquet file and a JSONL file of the same rows hold the same
 * fields.
 *
 * <p>Mapping: {@code String} to {@code binary (STRING)}; {@code boolean} to {@code boolean}; {@code int}/{@code long}
 * to {@code int64}; {@code double} to {@code double}; a nested record to a group (a struct); a {@code List} to the
 * standard three-level {@code LIST} ({@code group (LIST) { repeated group list { element } }}), so a list of
 * messages reads as {@code list<struct<content, role>>}. Nullability is stated, not guessed: export rows never hold a
 * null (the exporters' contract), so every column and list element is {@code required}, which readers show as
 * {@code not null}; a null met while writing is an {@link IllegalArgumentException} naming the field.
 *
 * <p>Failure modes: a row type with a property of another type (a map, a byte array, an enum) is an
 * {@link IllegalArgumentException} naming it, raised when the schema is built, before any file is opened.
 */
public final class RowSchema {
  /** The name Parquet gives the repeated group of a standard {@code LIST}. */
  static final String LIST = "list";
  /** The name Parquet gives the element of a standard {@code LIST}. */
  static final String ELEMENT = "element";

  /** What one field holds; a tree for nested records and lists. */
  sealed interface Shape permits Text, Flag, Whole, Real, Struct, ListOf {}

  record Text() implements Shape {}

  record Flag() implements Shape {}

  record Whole() implements Shape {}

  record Real() implements Shape {}

  /** A nested record: its fields in Jackson's order. */
  record Struct(List<Field> fields) implements Shape {
    Struct {
      fields = List.copyOf(fields);
    }
  }

  record ListOf(Shape element) implements Shape {}

  /** One named field of a struct (or of the row). */
  record Field(String name, Shape shape) {
    Field {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(shape, "shape");
    }
  }

  private final Class<?> rowType;
  private final Struct row;
  private final MessageType message;

  private RowSchema(Class<?> rowType, Struct row) {
    this.rowType = rowType;
    this.row = row;
    List<Type> columns = new ArrayList<>();
    for (Field f : row.fields()) {
      columns.add(parquetType(f.name(), f.shape()));
    }
    this.message = new MessageType(rowType.getSimpleName(), columns);
  }

  /** The schema of {@code rowType}'s JSON form. */
  public static RowSchema of(Class<? extends Record> rowType) {
    Objects.requireNonNull(rowType, "rowType");
    return new RowSchema(rowType, struct(Json.mapper().constructType(rowType), rowType.getName()));
  }

  /** The record class the rows must be. */
  public Class<?> rowType() {
    return rowType;
  }

  /** The Parquet message type, as parquet-column's writers and the footer use it. */
  public MessageType message() {
    return message;
  }

  Struct row() {
    return row;
  }

  private static Struct struct(JavaType type, String where) {
    BeanDescription bean = Json.mapper().getSerializationConfig().introspect(type);
    List<Field> fields = new ArrayList<>();
    for (BeanPropertyDefinition p : bean.findProperties()) {
      if (!p.couldSerialize()) {
        continue;
      }
      fields.add(new Field(p.getName(), shape(p.getPrimaryType(), where + "." + p.getName())));
    }
    if (fields.isEmpty()) {
      throw new IllegalArgumentException(where + ": no properties to write as Parquet columns");
    }
    return new Struct(fields);
  }

  private static Shape shape(JavaType t, String where) {
    Class<?> c = t.getRawClass();
    if (c == String.class) {
      return new Text();
    }
    if (c == boolean.class || c == Boolean.class) {
      return new Flag();
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return new Whole();
    }
    if (c == double.class || c == Double.class) {
      return new Real();
    }
    if (List.class.isAssignableFrom(c) && t.getContentType() != null) {
      return new ListOf(shape(t.getContentType(), where + "[]"));
    }
    if (c.isRecord()) {
      return struct(t, where);
    }
    throw new IllegalArgumentException(where + ": type " + t + " has no Parquet mapping in Assay's export");
  }

  private static Type parquetType(String name, Shape shape) {
    if (shape instanceof Text) {
      return Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
    }
    if (shape instanceof Flag) {
      return Types.required(PrimitiveTypeName.BOOLEAN).named(name);
    }
    if (shape instanceof Whole) {
      return Types.required(PrimitiveTypeName.INT64).named(name);
    }
    if (shape instanceof Real) {
      return Types.required(PrimitiveTypeName.DOUBLE).named(name);
    }
    if (shape instanceof Struct s) {
      List<Type> children = new ArrayList<>();
      s.fields().forEach(f -> children.add(parquetType(f.name(), f.shape())));
      return new GroupType(Repetition.REQUIRED, name, children);
    }
    ListOf l = (ListOf) shape; // the interface is sealed: nothing else is left
    GroupType list = new GroupType(Repetition.REPEATED, LIST, parquetType(ELEMENT, l.element()));
    return Types.requiredGroup().as(LogicalTypeAnnotation.listType()).addField(list).named(name);
  }

  @Override
  public String toString() {
    return message.toString();
  }
}
