package dev.assay.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * Lines of a file as raw UTF-8 bytes, without decoding them: JSON Lines as Assay reads them, split at each newline
 * (the newline excluded, and a carriage return before it too; a last line without a newline is returned as it is),
 * with the byte position of the next line's first byte. Starting mid-file ({@link #at}), the partial line before the
 * first newline belongs to the previous range and is skipped. One place for this, used by {@link dev.assay.grouping.ReadJsonl}'s
 * ranges, the merge of sorted shard files and the ledger's index. Not thread-safe; the caller closes the stream.
 */
public final class LineReader {
  private final InputStream in;
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkEnd;
  private long position;
  private byte[] buf = new byte[1024];
  private int length;

  private LineReader(InputStream in, long position) {
    this.in = in;
    this.position = position;
  }

  /** Lines from the start of {@code in}. */
  public static LineReader of(InputStream in) {
    return new LineReader(in, 0);
  }

  /**
   * Lines of {@code channel} from byte {@code start}: the first is the first line that starts at or after it.
   *
   * @throws IOException when {@code start} is not 0 and the channel cannot seek
   */
  public static LineReader at(ReadableByteChannel channel, String file, long start) throws IOException {
    if (start == 0) {
      return new LineReader(Channels.newInputStream(channel), 0);
    }
    if (!(channel instanceof SeekableByteChannel seekable)) {
      throw new IOException(file + " cannot be read from an offset (not a seekable channel)");
    }
    // From the byte before the range: if it is a newline, the range starts on a line's first byte.
    seekable.position(start - 1);
    LineReader r = new LineReader(Channels.newInputStream(seekable), start - 1);
    r.next();
    return r;
  }

  /** The position of the next line's first byte. */
  public long position() {
    return position;
  }

  /** The length of the line {@link #next} returned last. */
  public int length() {
    return length;
  }

  /** The next line in a buffer valid until the next call (its first {@link #length} bytes), or null at the end. */
  public byte[] next() throws IOException {
    length = 0;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkEnd) {
        int n = in.read(chunk, 0, chunk.length);
        if (n < 0) {
          break;
        }
        chunkPos = 0;
        chunkEnd = n;
        continue;
      }
      any = true;
      int from = chunkPos;
      // locals, so the scan compiles to a tight loop instead of a field write per byte
      byte[] c = chunk;
      int p = from;
      int end = chunkEnd;
      while (p < end && c[p] != '\n') {
        p++;
      }
      chunkPos = p;
      append(from, p - from);
      position += p - from;
      if (p < end) {
        chunkPos++; // the newline
        position++;
        break;
      }
    }
    if (!any) {
      return null;
    }
    if (length > 0 && buf[length - 1] == '\r') {
      length--;
    }
    return buf;
  }

  private void append(int from, int n) {
    if (length + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
    }
    System.arraycopy(chunk, from, buf, length, n);
    length += n;
  }

  /** Whether the first {@code length} bytes of {@code line} are only spaces, tabs and carriage returns. */
  public static boolean isBlank(byte[] line, int length) {
    for (int i = 0; i < length; i++) {
      if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
