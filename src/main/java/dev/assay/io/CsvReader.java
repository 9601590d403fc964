package dev.assay.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a user-given CSV file (optionally {@code .gz}) with a header row, strictly, as RFC 4180 describes it: fields
 * separated by commas, records by CRLF or LF, a field in double quotes may hold commas, line breaks and doubled
 * quotes ({@code ""}).
 *
 * <p>Contract: the first record is the header; every later record must have exactly as many fields as the header.
 * Completely empty lines are skipped (editors add them at the end). A UTF-8 byte-order mark at the start is dropped
 * (spreadsheets write one). Values are not trimmed: RFC 4180 says spaces are part of a field.
 *
 * <p>Failure modes, each an {@link InputException} naming the file and the 1-based line where the record starts
 * (a quoted field may span lines): missing or unreadable file, invalid UTF-8, no header (empty file), an empty or
 * repeated column name, no data rows, a ragged row, a quote inside an unquoted field, text after a closing quote, a
 * quote that is never closed, a record longer than {@link #MAX_RECORD_CHARS}.
 */
public final class CsvReader {
  /** 16 Mi characters per record, as {@link JsonlReader#MAX_LINE_CHARS}: a stray quote cannot exhaust the heap. */
  public static final int MAX_RECORD_CHARS = JsonlReader.MAX_LINE_CHARS;

  /**
   * A whole CSV file: its header and its data rows in file order.
   *
   * @param file the file name as given, for messages
   * @param header column names, distinct and non-empty
   * @param rows data rows, each with {@code header.size()} values
   */
  public record Table(String file, List<String> header, List<Row> rows) {
    public Table {
      header = List.copyOf(header);
      rows = List.copyOf(rows);
    }

    /**
     * Index of column {@code name}.
     *
     * @throws InputException (line 1, naming the field) when the header has no such column
     */
    public int column(String name) {
      int i = header.indexOf(name);
      if (i < 0) {
        throw new InputException(file, 1, name, "no such column in the header " + header);
      }
      return i;
    }
  }

  /**
   * One data row.
   *
   * @param line 1-based line on which the record starts
   * @param values the fields, unquoted
   */
  public record Row(long line, List<String> values) {
    public Row {
      values = List.copyOf(values);
    }
  }

  private CsvReader() {}

  /**
   * Reads the whole of {@code path}. Lines are decoded one at a time ({@link DecodedLines}), so invalid UTF-8 is
   * reported on the line that holds it, not on a line a buffer ahead of the parser.
   */
  public static Table readAll(Path path) {
    try (DecodedLines lines = DecodedLines.open(path, MAX_RECORD_CHARS)) {
      return parse(lines.file(), new LinesReader(lines));
    } catch (IOException e) {
      throw new InputException(path.toString(), 0, null, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses CSV text from {@code reader}; {@code name} is used in messages. Does not close the reader. */
  public static Table parse(String name, Reader reader) throws IOException {
    Parser parser = new Parser(name, reader);
    List<String> header = null;
    Map<String, Long> seen = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    Row record;
    while ((record = parser.next()) != null) {
      if (header == null) {
        header = record.values();
        for (String column : header) {
          if (column.isEmpty()) {
            throw new InputException(name, record.line(), null, "empty column name in the header");
          }
          if (seen.put(column, record.line()) != null) {
            throw new InputException(name, record.line(), column, "column appears twice in the header");
          }
        }
        continue;
      }
      if (record.values().size() != header.size()) {
        throw new InputException(
            name,
            record.line(),
            null,
            "ragged row: " + record.values().size() + " fields, the header has " + header.size());
      }
      rows.add(record);
    }
    if (header == null) {
      throw new InputException(name, 0, null, "no header row (the file is empty)");
    }
    if (rows.isEmpty()) {
      throw new InputException(name, 0, null, "no records (only a header row)");
    }
    return new Table(name, header, rows);
  }

  /**
   * The decoded lines as one stream of characters, each line followed by the {@code '\n'} it ended with (a CR before
   * it is kept in the line), so the parser sees the file's own line breaks. Decodes a line only when the parser has
   * used up the previous one.
   */
  private static final class LinesReader extends Reader {
    private final DecodedLines lines;
    private String line = "";
    private int at;

    LinesReader(DecodedLines lines) {
      this.lines = lines;
    }

    @Override
    public int read() {
      while (at == line.length()) {
        String next = lines.next();
        if (next == null) {
          return -1;
        }
        line = lines.endedWithNewline() ? next + "\n" : next;
        at = 0;
      }
      return line.charAt(at++);
    }

    @Override
    public int read(char[] target, int offset, int length) {
      int n = 0;
      while (n < length) {
        int c = read();
        if (c < 0) {
          return n == 0 ? -1 : n;
        }
        target[offset + n++] = (char) c;
      }
      return n;
    }

    @Override
    public void close() {
      lines.close();
    }
  }

  /** A character-at-a-time state machine; one instance per file. */
  private static final class Parser {
    private static final int EOF = -1;
    private final String name;
    private final Reader reader;
    private long line = 1;
    private int pushedBack = -2;
    private boolean started;

    Parser(String name, Reader reader) {
      this.name = name;
      this.reader = reader;
    }

    /** The next non-blank record, or null at the end of the input. */
    Row next() throws IOException {
      while (true) {
        int c = read();
        if (c == EOF) {
          return null;
        }
        if (c == '\n' || c == '\r') {
          endOfLine(c); // a blank line: skip it
          continue;
        }
        unread(c);
        return record();
      }
    }

    private Row record() throws IOException {
      long start = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      long chars = 0;
      while (true) {
        int c = read();
        if (c == '"' && field.isEmpty()) {
          chars += quoted(field, start);
          c = read();
          if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
            throw new InputException(
                name, line, null, "unexpected character '" + (char) c + "' after a closing quote (field "
                    + (fields.size() + 1) + ")");
          }
        }
        if (c == ',') {
          fields.add(field.toString());
          field.setLength(0);
        } else if (c == '\n' || c == '\r' || c == EOF) {
          fields.add(field.toString());
          if (c != EOF) {
            endOfLine(c);
          }
          return new Row(start, fields);
        } else if (c == '"') {
          throw new InputException(
              name, line, null, "quote inside an unquoted field (field " + (fields.size() + 1)
                  + "); quote the whole field and double the inner quote");
        } else {
          field.append((char) c);
        }
        if (++chars > MAX_RECORD_CHARS) {
          throw new InputException(name, start, null, "record longer than " + MAX_RECORD_CHARS + " characters");
        }
      }
    }

    /** Reads a quoted field's content after its opening quote, up to and including the closing quote. */
    private long quoted(StringBuilder field, long start) throws IOException {
      long opened = line;
      long chars = 0;
      while (true) {
        int c = read();
        if (c == EOF) {
          throw new InputException(
              name, start, null, "quoted field opened on line " + opened + " is never closed");
        }
        if (c == '"') {
          int after = read();
          if (after != '"') {
            unread(after);
            return chars;
          }
        } else if (c == '\n') {
          line++;
        } else if (c == '\r') {
          int after = read();
          if (after != '\n') {
            line++; // a lone CR is a line break too; CRLF is counted at its LF
          }
          unread(after);
        }
        field.append((char) c);
        if (++chars > MAX_RECORD_CHARS) {
          throw new InputException(name, start, null, "record longer than " + MAX_RECORD_CHARS + " characters");
        }
      }
    }

    /** Consumes a line break that began with {@code c} (CR, LF or CRLF). */
    private void endOfLine(int c) throws IOException {
      if (c == '\r') {
        int after = read();
        if (after != '\n') {
          unread(after);
        }
      }
      line++;
    }

    private int read() throws IOException {
      if (pushedBack != -2) {
        int c = pushedBack;
        pushedBack = -2;
        return c;
      }
      int c;
      try {
        c = reader.read();
      } catch (CharacterCodingException e) {
        throw new InputException(name, line, null, "invalid UTF-8", e);
      }
      if (!started) {
        started = true;
        if (c == '\uFEFF') {
          return read();
        }
      }
      return c;
    }

    private void unread(int c) {
      pushedBack = c;
    }
  }
}
