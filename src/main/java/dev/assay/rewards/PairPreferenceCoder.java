package dev.assay.rewards;

import dev.assay.io.BinaryFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * Binary coder of {@link PairPreference}: K(K-1)/2 of them per prompt and voter cross the consensus shuffle, the
 * largest stream of the tail after the judgments. Exact: a decoded preference writes the same JSON line.
 * Deterministic. {@link org.apache.beam.sdk.coders.CoderException} on malformed bytes, or the record's own
 * validation error when the fields decode but do not form a valid preference.
 */
public final class PairPreferenceCoder extends AtomicCoder<PairPreference> {
  private static final PairPreferenceCoder INSTANCE = new PairPreferenceCoder();

  private PairPreferenceCoder() {}

  public static PairPreferenceCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(PairPreference p, OutputStream target) throws IOException {
    BinaryFields.RecordOut out = new BinaryFields.RecordOut();
    BinaryFields.writeString(p.rewardModel(), out);
    BinaryFields.writeString(p.promptId(), out);
    BinaryFields.writeString(p.first(), out);
    BinaryFields.writeString(p.second(), out);
    BinaryFields.writeDouble(p.probabilityFirst(), out);
    BinaryFields.writeLong(p.votes(), out);
    BinaryFields.writeLong(p.flips(), out);
    out.writeTo(target);
  }

  @Override
  public PairPreference decode(InputStream source) throws IOException {
    InputStream in = BinaryFields.recordIn(source);
    return new PairPreference(
        BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readString(in),
        BinaryFields.readDouble(in), BinaryFields.readLong(in), BinaryFields.readLong(in));
  }

  @Override
  public void verifyDeterministic() {}
}
