package dev.assay.rewards.judge;

import dev.assay.io.BinaryFields;
import dev.assay.io.BinaryRecordCoder;
import dev.assay.judging.JudgmentStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Binary coder of {@link ScoreSample}: one per judgment crosses the shard shuffle, the largest stream of the curation,
 * so it is compact (three strings, three varints) rather than JSON. Exact and deterministic.
 */
public final class ScoreSampleCoder extends BinaryRecordCoder<ScoreSample> {
  public static final ScoreSampleCoder INSTANCE = new ScoreSampleCoder();
  private static final JudgmentStatus[] STATUSES = JudgmentStatus.values();

  private ScoreSampleCoder() {}

  @Override
  protected void write(ScoreSample s, OutputStream out) throws IOException {
    BinaryFields.writeString(s.judge(), out);
    BinaryFields.writeString(s.promptId(), out);
    BinaryFields.writeString(s.candidateId(), out);
    BinaryFields.writeInt(s.sample(), out);
    BinaryFields.writeInt(s.status().ordinal(), out);
    BinaryFields.writeInt(s.score() == null ? 0 : 1, out);
    if (s.score() != null) {
      BinaryFields.writeInt(s.score(), out);
    }
  }

  @Override
  protected ScoreSample read(InputStream in) throws IOException {
    String judge = BinaryFields.readString(in);
    String promptId = BinaryFields.readString(in);
    String candidateId = BinaryFields.readString(in);
    int sample = BinaryFields.readInt(in);
    int status = BinaryFields.readInt(in);
    if (status < 0 || status >= STATUSES.length) {
      throw new CoderException("no judgment status with ordinal " + status);
    }
    Integer score = BinaryFields.readInt(in) == 0 ? null : BinaryFields.readInt(in);
    return new ScoreSample(judge, promptId, candidateId, sample, STATUSES[status], score);
  }
}
