package dev.assay.rewards;

import dev.assay.io.BinaryFields;
import dev.assay.io.BinaryRecordCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Binary coder of {@link CandidateReward}: the record crosses the consistency, consensus and pair shuffles once per
 * candidate and voter, so its encoding is on the hot path (JSON cost ~15% of the consistency stage's CPU). Exact:
 * a decoded reward writes the same JSON line. Deterministic. {@link org.apache.beam.sdk.coders.CoderException} on
 * malformed bytes, or the record's own validation error when the fields decode but do not form a valid reward.
 */
public final class CandidateRewardCoder extends BinaryRecordCoder<CandidateReward> {
  private static final CandidateRewardCoder INSTANCE = new CandidateRewardCoder();

  private CandidateRewardCoder() {}

  public static CandidateRewardCoder of() {
    return INSTANCE;
  }

  @Override
  protected void write(CandidateReward r, OutputStream out) throws IOException {
    BinaryFields.writeString(r.rewardModel(), out);
    BinaryFields.writeString(r.promptId(), out);
    BinaryFields.writeString(r.candidateId(), out);
    BinaryFields.writeDouble(r.reward(), out);
    BinaryFields.writeLong(r.samples(), out);
    BinaryFields.writeLong(r.usable(), out);
    BinaryFields.writeDouble(r.spread(), out);
  }

  @Override
  protected CandidateReward read(InputStream in) throws IOException {
    return new CandidateReward(
        BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readDouble(in),
        BinaryFields.readLong(in), BinaryFields.readLong(in), BinaryFields.readDouble(in));
  }
}
