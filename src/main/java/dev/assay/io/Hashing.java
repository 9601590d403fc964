package dev.assay.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lower-case hex: the one hash of the program (ledger keys, input and template hashes, ids). */
public final class Hashing {
  private static final MessageDigest PROTOTYPE = lookup();

  private Hashing() {}

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256Bytes(bytes));
  }

  /** The 32 bytes of the SHA-256 of {@code bytes}: for callers that use the bits, not the hex. */
  public static byte[] sha256Bytes(byte[] bytes) {
    return digest().digest(bytes);
  }

  /** Hash of a file's bytes, streamed. */
  public static String sha256(Path file) {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + file, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * A fresh SHA-256 digest. Cloned from a prototype: {@code MessageDigest.getInstance} walks the security providers
   * on every call, which cost more than hashing a 2 KB request (every request hashes twice for its seed and its
   * ledger key). The JDK's SHA-256 is cloneable; a provider whose digest is not gets looked up as before.
   */
  private static MessageDigest digest() {
    if (PROTOTYPE != null) {
      try {
        return (MessageDigest) PROTOTYPE.clone();
      } catch (CloneNotSupportedException e) {
        // fall through to a lookup
      }
    }
    return lookup();
  }

  private static MessageDigest lookup() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
