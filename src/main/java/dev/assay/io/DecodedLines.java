package dev.assay.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
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
import java.util.zip.GZIPInputStream;

/**
 * The lines of a user-given text file (optionally {@code .gz}), each decoded as strict UTF-8 on its own, so that a
 * bad byte is reported on its own line. One place for this, used by {@link JsonlReader} and {@link CsvReader}.
 *
 * <p>Why not a decoding {@code Reader}: it decodes a whole buffer ahead of the line being read, so an invalid byte
 * on line 3 was reported as line 1 (and on line 5,000 as line 4,840). Here the bytes are split on {@code '\n'}, which
 * is safe in UTF-8 (the byte never occurs inside a multi-byte sequence), and each line is decoded when it is asked
 * for. A UTF-8 byte-order mark at the start of the file is dropped, in JSONL as in CSV.
 *
 * <p>Contract: {@link #next} returns each line without its {@code '\n'} but with a carriage return before it, if
 * any, so that a caller can keep CRLF inside a quoted CSV field; {@link #endedWithNewline} says whether the line had
 * a {@code '\n'} (only the last line may lack one). Lines are numbered from 1 by {@code '\n'}; a lone carriage return
 * does not start a line here. Not thread-safe.
 *
 * <p>Failure modes, each an {@link InputException} naming the file and, where it is tied to one, the line: a
 * missing file, a folder, an unreadable file, invalid UTF-8, a line longer than {@code maxChars} characters (found
 * while reading, so one huge line cannot exhaust the heap).
 */
public final class DecodedLines implements Closeable {
  private final String name;
  private final InputStream in;
  private final int maxChars;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private long number;
  private boolean newline;

  private DecodedLines(String name, InputStream in, int maxChars) {
    this.name = name;
    this.in = in;
    this.maxChars = maxChars;
  }

  /**
   * Opens {@code path}, gunzipping it when its name ends with {@code .gz}; lines longer than {@code maxChars}
   * characters are refused.
   */
  public static DecodedLines open(Path path, int maxChars) {
    String name = path.toString();
    if (Files.isDirectory(path)) {
      throw new InputException(name, 0, null, "is a folder, not a file");
    }
    InputStream raw = null;
    try {
      raw = Files.newInputStream(path);
      InputStream in = new BufferedInputStream(name.endsWith(".gz") ? new GZIPInputStream(raw) : raw);
      return new DecodedLines(name, in, maxChars);
    } catch (NoSuchFileException e) {
      throw new InputException(name, 0, null, "file not found");
    } catch (IOException e) {
      closeQuietly(raw);
      throw new InputException(name, 0, null, "cannot read: " + e.getMessage(), e);
    }
  }

  /** The file name as given, for messages. */
  public String file() {
    return name;
  }

  /** The 1-based number of the line {@link #next} returned last (0 before the first). */
  public long number() {
    return number;
  }

  /** Whether the line {@link #next} returned last ended with {@code '\n'}. */
  public boolean endedWithNewline() {
    return newline;
  }

  /** The next line, decoded, without its {@code '\n'}; null at the end of the file. */
  public String next() {
    try {
      if (!readBoundedLine()) {
        return null;
      }
    } catch (IOException e) {
      throw new InputException(name, number, null, "cannot read: " + e.getMessage(), e);
    }
    String text;
    try {
      text = decoder.decode(ByteBuffer.wrap(buffer.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new InputException(name, number, null, "invalid UTF-8", e);
    }
    if (number == 1 && text.startsWith("\uFEFF")) {
      text = text.substring(1); // a byte-order mark, written by spreadsheets and some editors: not content
    }
    return text;
  }

  /**
   * Reads the bytes of one line, without its {@code '\n'}, into {@link #buffer}; false at the end of the input.
   * Counts the UTF-16 characters the bytes will decode to, so the limit is in characters as documented, and stops
   * reading as soon as it is passed.
   */
  private boolean readBoundedLine() throws IOException {
    buffer.reset();
    newline = false;
    long chars = 0;
    boolean any = false;
    int b;
    while ((b = in.read()) != -1) {
      if (!any) {
        any = true;
        number++;
      }
      if (b == '\n') {
        newline = true;
        break;
      }
      // Every byte that is not a continuation byte (10xxxxxx) starts a character; a 4-byte sequence is two chars.
      if ((b & 0xC0) != 0x80) {
        chars += b >= 0xF0 ? 2 : 1;
        if (chars > maxChars) {
          throw new InputException(name, number, null, "line longer than " + maxChars + " characters");
        }
      }
      buffer.write(b);
    }
    return any;
  }

  @Override
  public void close() {
    closeQuietly(in);
  }

  private static void closeQuietly(InputStream s) {
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // Only read from: nothing was lost, and the caller's own error (if any) is the one to report.
    }
  }
}
