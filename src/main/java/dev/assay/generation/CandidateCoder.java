package dev.assay.generation;

import dev.assay.io.BinaryFields;
import dev.assay.io.BinaryRecordCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Binary coder of {@link Candidate}: candidates cross the pair-building shuffle with their prompt and response
 * texts, so a compact form saves both CPU and the memory a runner holds for a grouped shard. Exact and
 * deterministic. {@link org.apache.beam.sdk.coders.CoderException} on malformed bytes, or the record's own
 * validation error when the fields decode but do not form a valid candidate.
 */
public final class CandidateCoder extends BinaryRecordCoder<Candidate> {
  private static final CandidateCoder INSTANCE = new CandidateCoder();

  private CandidateCoder() {}

  public static CandidateCoder of() {
    return INSTANCE;
  }

  @Override
  protected void write(Candidate c, OutputStream out) throws IOException {
    BinaryFields.writeString(c.id(), out);
    BinaryFields.writeString(c.promptId(), out);
    BinaryFields.writeString(c.prompt(), out);
    BinaryFields.writeString(c.reference(), out);
    BinaryFields.writeString(c.response(), out);
    BinaryFields.writeString(c.model(), out);
    BinaryFields.writeInt(c.sample(), out);
    BinaryFields.writeString(c.finishReason(), out);
    BinaryFields.writeString(c.requestHash(), out);
  }

  @Override
  protected Candidate read(InputStream in) throws IOException {
    return new Candidate(
        BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readString(in),
        BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readInt(in), BinaryFields.readString(in),
        BinaryFields.readString(in));
  }
}
