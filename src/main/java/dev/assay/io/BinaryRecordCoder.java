package dev.assay.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * The base of Assay's binary record coders: a subclass writes and reads a record's fields with {@link BinaryFields};
 * this class frames them, building the record in a {@link BinaryFields.RecordOut} and sending it length-prefixed in
 * one call, and reading it back from one array ({@link BinaryFields#recordIn}). One place for the framing, so every
 * coder gets the one-call write that the runners' per-byte stream costs call for.
 *
 * <p>Contract: the encoding is exact and deterministic (equal records, equal bytes). Failure mode: {@link
 * CoderException} on truncated or malformed input.
 */
public abstract class BinaryRecordCoder<T> extends AtomicCoder<T> {
  @Override
  public final void encode(T value, OutputStream out) throws IOException {
    BinaryFields.RecordOut record = new BinaryFields.RecordOut();
    write(value, record);
    record.writeTo(out);
  }

  @Override
  public final T decode(InputStream in) throws IOException {
    return read(BinaryFields.recordIn(in));
  }

  /** Writes {@code value}'s fields, in the order {@link #read} reads them. */
  protected abstract void write(T value, OutputStream out) throws IOException;

  /** Reads the fields {@link #write} wrote. */
  protected abstract T read(InputStream in) throws IOException;

  @Override
  public void verifyDeterministic() {}
}
