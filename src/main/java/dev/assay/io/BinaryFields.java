package dev.assay.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Field encodings for the hand-written binary coders of the records that cross a shuffle in bulk (judge scores,
 * rewards, pair preferences, candidates): nullable UTF-8 strings with a varint length, varints, doubles as their
 * exact IEEE bits. Binary, not JSON, because encoding is per element per shuffle and the JSON form cost ~15% of the
 * CPU of the consistency stage; exact, so a record decodes to one that writes the same JSON line. {@link
 * BinaryRecordCoder} frames each record: built in a {@link RecordOut}, sent length-prefixed in one call, read back
 * from {@link #recordIn}.
 *
 * <p>Failure mode: {@link CoderException} on truncated or malformed input.
 */
public final class BinaryFields {
  private BinaryFields() {}

  /** A string, or null, as a varint of (UTF-8 length + 1, 0 for null) and the bytes. */
  public static void writeString(String s, OutputStream out) throws IOException {
    if (s == null) {
      VarInt.encode(0, out);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(b.length + 1, out);
    out.write(b);
  }

  public static String readString(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n == 0) {
      return null;
    }
    if (n < 0) {
      throw new CoderException("negative string length " + (n - 1));
    }
    byte[] b = new byte[n - 1];
    readFully(in, b);
    return new String(b, StandardCharsets.UTF_8);
  }

  public static void writeLong(long v, OutputStream out) throws IOException {
    VarInt.encode(v, out);
  }

  public static long readLong(InputStream in) throws IOException {
    return VarInt.decodeLong(in);
  }

  public static void writeInt(int v, OutputStream out) throws IOException {
    VarInt.encode(v, out);
  }

  public static int readInt(InputStream in) throws IOException {
    return VarInt.decodeInt(in);
  }

  /** The exact bits, so NaN, -0.0 and every rounding survive. */
  public static void writeDouble(double v, OutputStream out) throws IOException {
    long bits = Double.doubleToRawLongBits(v);
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) bits;
      bits >>>= 8;
    }
    out.write(b);
  }

  public static double readDouble(InputStream in) throws IOException {
    byte[] b = new byte[8];
    readFully(in, b);
    long bits = 0;
    for (byte x : b) {
      bits = (bits << 8) | (x & 0xff);
    }
    return Double.longBitsToDouble(bits);
  }

  private static void readFully(InputStream in, byte[] b) throws IOException {
    int done = 0;
    while (done < b.length) {
      int n = in.read(b, done, b.length - done);
      if (n < 0) {
        throw new CoderException("truncated record: wanted " + b.length + " bytes, got " + done);
      }
      done += n;
    }
  }

  /**
   * One record's fields, built in memory and then written with a varint length in one call ({@link #writeTo}).
   *
   * <p>Why: a runner's streams are synchronized or filtered, and a varint or a double written straight to them costs
   * a call per byte; the direct runner also clones every grouped value through its coder each time a key's state is
   * bound, so the per-byte cost multiplied (JFR, {@code assay bench cpu}). The coders write their fields here and
   * hand the runner one array. Read it back with {@link #recordIn}.
   */
  public static final class RecordOut extends OutputStream {
    private byte[] buf = new byte[128];
    private int count;

    @Override
    public void write(int b) {
      if (count == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (count + len > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    /** Writes the record to {@code out}: a varint of its length, then its bytes. */
    public void writeTo(OutputStream out) throws IOException {
      VarInt.encode(count, out);
      out.write(buf, 0, count);
    }
  }

  /**
   * Reads one record written by {@link RecordOut#writeTo} from {@code in} and returns its bytes as a stream for the
   * field readers.
   *
   * @throws CoderException when the length is negative or the record is cut short
   */
  public static InputStream recordIn(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n < 0) {
      throw new CoderException("negative record length " + n);
    }
    byte[] b = new byte[n];
    readFully(in, b);
    return new RecordIn(b);
  }

  /** An unsynchronized stream over one record's bytes (ByteArrayInputStream locks on every read). */
  private static final class RecordIn extends InputStream {
    private final byte[] buf;
    private int pos;

    RecordIn(byte[] buf) {
      this.buf = buf;
    }

    @Override
    public int read() {
      return pos < buf.length ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= buf.length) {
        return len == 0 ? 0 : -1;
      }
      int n = Math.min(len, buf.length - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
