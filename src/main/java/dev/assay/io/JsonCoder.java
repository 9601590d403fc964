package dev.assay.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Beam coder for our records: the record as one JSON document in the shared {@link Json} form.
 *
 * <p>Deterministic (keys sorted), so values encode to the same bytes on every worker. Not the fastest coder; the
 * CPU path shrinks records to ids and scores before any shuffle. Fails with {@link CoderException} on bytes that do
 * not decode to {@code type}.
 */
public final class JsonCoder<T> extends CustomCoder<T> {
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();
  private final Class<T> type;

  private JsonCoder(Class<T> type) {
    this.type = Objects.requireNonNull(type);
  }

  public static <T> JsonCoder<T> of(Class<T> type) {
    return new JsonCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    BYTES.encode(Json.mapper().writeValueAsBytes(value), out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    byte[] bytes = BYTES.decode(in);
    try {
      return Json.mapper().readValue(bytes, type);
    } catch (IOException e) {
      throw new CoderException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonCoder<?> c && c.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "JsonCoder<" + type.getSimpleName() + ">";
  }
}
