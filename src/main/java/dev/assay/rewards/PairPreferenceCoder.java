package dev.assay.rewards;

import dev.assay.io.BinaryFields;
import dev.assay.io.BinaryRecordCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Binary coder of {@link PairPreference}: K(K-1)/2 of them per prompt and voter cross the consensus shuffle, the
 * largest stream of the curation after the judgments. Exact: a decoded preference writes the same JSON line.
 * Deterministic. {@link org.apache.beam.sdk.coders.CoderException} on malformed bytes, or the record's own
 * validation error when the fields decode but do not form a valid preference.
 */
public final class PairPreferenceCoder extends BinaryRecordCoder<PairPreference> {
  private static final PairPreferenceCoder INSTANCE = new PairPreferenceCoder();

  private PairPreferenceCoder() {}

  public static PairPreferenceCoder of() {
    return INSTANCE;
  }

  @Override
  protected void write(PairPreference p, OutputStream out) throws IOException {
    BinaryFields.writeString(p.rewardModel(), out);
    BinaryFields.writeString(p.promptId(), out);
    BinaryFields.writeString(p.first(), out);
    BinaryFields.writeString(p.second(), out);
    BinaryFields.writeDouble(p.probabilityFirst(), out);
    BinaryFields.writeLong(p.votes(), out);
    BinaryFields.writeLong(p.flips(), out);
  }

  @Override
  protected PairPreference read(InputStream in) throws IOException {
    return new PairPreference(
        BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readString(in),
        BinaryFields.readDouble(in), BinaryFields.readLong(in), BinaryFields.readLong(in));
  }
}
