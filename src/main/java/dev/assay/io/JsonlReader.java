package dev.assay.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads user-given JSONL (optionally {@code .gz}) strictly: every problem is an {@link InputException} naming the
 * file and the 1-based line.
 *
 * <p>Rejects invalid UTF-8, lines longer than {@link #MAX_LINE_CHARS}, lines that are not a JSON object, and a file
 * with no records. Blank lines are skipped (many tools write a trailing one).
 */
public final class JsonlReader {
  /** 16 Mi characters: far above any real prompt, low enough that one bad line cannot exhaust the heap. */
  public static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

  /** One parsed line: its 1-based number and its JSON object. */
  public record Line(String file, long number, JsonNode node) {
    /** The text of a required string field, or an {@link InputException} naming this line and field. */
    public String text(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw new InputException(file, number, field, "missing required field");
      }
      if (!v.isTextual()) {
        throw new InputException(file, number, field, "expected a string, got " + v.getNodeType().name().toLowerCase());
      }
      return v.asText();
    }

    /** The text of an optional string field, or null when absent; wrong types are still an error. */
    public String optionalText(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        throw new InputException(file, number, field, "expected a string, got " + v.getNodeType().name().toLowerCase());
      }
      return v.asText();
    }

    /** An id field that may be a string or an integer in the file; always returned as text. */
    public String id(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw new InputException(file, number, field, "missing required field");
      }
      if (!v.isTextual() && !v.isIntegralNumber()) {
        throw new InputException(file, number, field, "expected a string or an integer id");
      }
      String id = v.asText();
      if (id.isBlank()) {
        throw new InputException(file, number, field, "id is blank");
      }
      return id;
    }
  }

  private JsonlReader() {}

  /** Reads every record of {@code path}. */
  public static List<Line> readAll(Path path) {
    List<Line> out = new ArrayList<>();
    forEach(path, out::add);
    return out;
  }

  /**
   * Hands every record of {@code path} to {@code sink}, one line at a time, in file order: memory does not grow with
   * the file. The same checks and errors as {@link #readAll}; a record already handed on stays handed on when a later
   * line turns out bad.
   */
  public static void forEach(Path path, java.util.function.Consumer<Line> sink) {
    forEachWhile(path, line -> {
      sink.accept(line);
      return true;
    });
  }

  /**
   * As {@link #forEach}, until {@code sink} returns false: the rest of the file is then neither read nor checked (a
   * recipe's {@code input.limit}).
   */
  public static void forEachWhile(Path path, java.util.function.Predicate<Line> sink) {
    String name = path.toString();
    long records = 0;
    // Bytes, not a Reader: a decoding Reader decodes a whole buffer ahead of the line being read, so an invalid byte
    // on line 3 was reported as line 1. Splitting on the byte '\n' is safe in UTF-8 (it never occurs inside a
    // multi-byte sequence); each line is then decoded strictly on its own.
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = new BufferedInputStream(name.endsWith(".gz") ? new GZIPInputStream(raw) : raw)) {
      CharsetDecoder decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      long lineNo = 0;
      while (true) {
        lineNo++;
        if (!readBoundedLine(in, buffer, name, lineNo)) {
          break;
        }
        String text;
        try {
          text = decoder.decode(ByteBuffer.wrap(buffer.toByteArray())).toString();
        } catch (CharacterCodingException e) {
          throw new InputException(name, lineNo, null, "invalid UTF-8", e);
        }
        if (text.endsWith("\r")) {
          text = text.substring(0, text.length() - 1);
        }
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
          throw new InputException(name, lineNo, null, "malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
          throw new InputException(name, lineNo, null, "expected a JSON object per line");
        }
        records++;
        if (!sink.test(new Line(name, lineNo, node))) {
          break;
        }
      }
    } catch (NoSuchFileException e) {
      throw new InputException(name, 0, null, "file not found");
    } catch (IOException e) {
      throw new InputException(name, 0, null, "cannot read: " + e.getMessage(), e);
    }
    if (records == 0) {
      throw new InputException(name, 0, null, "no records (the file is empty)");
    }
  }

  /**
   * Reads the bytes of one line, without its {@code '\n'}, into {@code line} (cleared first); false at the end of
   * the input. Counts the UTF-16 characters the bytes will decode to, so the limit is {@link #MAX_LINE_CHARS}
   * characters as documented, and stops reading as soon as it is passed.
   */
  private static boolean readBoundedLine(InputStream in, ByteArrayOutputStream line, String name, long lineNo)
      throws IOException {
    line.reset();
    long chars = 0;
    boolean any = false;
    int b;
    while ((b = in.read()) != -1) {
      any = true;
      if (b == '\n') {
        break;
      }
      // Every byte that is not a continuation byte (10xxxxxx) starts a character; a 4-byte sequence is two chars.
      if ((b & 0xC0) != 0x80) {
        chars += b >= 0xF0 ? 2 : 1;
        if (chars > MAX_LINE_CHARS) {
          throw new InputException(name, lineNo, null, "line longer than " + MAX_LINE_CHARS + " characters");
        }
      }
      line.write(b);
    }
    return any;
  }
}
