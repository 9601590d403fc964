package dev.assay.io;

import java.io.DataInputStream;
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
 * CPU of the consistency stage; exact, so a record decodes to one that writes the same JSON line.
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
    try {
      new DataInputStream(in).readFully(b);
    } catch (java.io.EOFException e) {
      throw new CoderException("truncated record: wanted " + b.length + " bytes", e);
    }
  }
}
