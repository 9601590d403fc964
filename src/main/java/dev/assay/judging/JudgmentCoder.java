package dev.assay.judging;

import dev.assay.io.BinaryFields;
import dev.assay.io.BinaryRecordCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;

/**
 * Binary coder of {@link Judgment}. Judgments are the largest stream of a run (N per candidate, each with a
 * rationale and the raw answer), and a runner encodes them wherever a step's output is not fused with its consumer
 * (on Flink [local], JSON encoding of parsed judgments was ~12% of the curation's CPU). Exact: a decoded judgment writes
 * the same JSON line. Deterministic. {@link CoderException} on malformed bytes, or the record's own validation error
 * when the fields decode but do not form a valid judgment.
 */
public final class JudgmentCoder extends BinaryRecordCoder<Judgment> {
  private static final JudgmentCoder INSTANCE = new JudgmentCoder();
  private static final JudgmentKind[] KINDS = JudgmentKind.values();
  private static final JudgmentStatus[] STATUSES = JudgmentStatus.values();
  private static final Verdict[] VERDICTS = Verdict.values();
  private static final ReferenceMode[] MODES = ReferenceMode.values();

  private JudgmentCoder() {}

  public static JudgmentCoder of() {
    return INSTANCE;
  }

  @Override
  protected void write(Judgment j, OutputStream out) throws IOException {
    BinaryFields.writeString(j.id(), out);
    BinaryFields.writeString(j.itemId(), out);
    BinaryFields.writeInt(j.kind().ordinal(), out);
    BinaryFields.writeString(j.judge(), out);
    BinaryFields.writeString(j.model(), out);
    BinaryFields.writeString(j.template(), out);
    BinaryFields.writeString(j.candidateA(), out);
    BinaryFields.writeString(j.candidateB(), out);
    BinaryFields.writeInt(j.sample(), out);
    BinaryFields.writeInt(j.status().ordinal(), out);
    // 0 = null, else value + 1 for the verdict; a presence flag for the score, which may be any int
    BinaryFields.writeInt(j.score() == null ? 0 : 1, out);
    if (j.score() != null) {
      BinaryFields.writeInt(j.score(), out);
    }
    BinaryFields.writeInt(j.verdict() == null ? 0 : j.verdict().ordinal() + 1, out);
    BinaryFields.writeString(j.rationale(), out);
    BinaryFields.writeString(j.raw(), out);
    BinaryFields.writeInt(j.referenceMode().ordinal(), out);
    BinaryFields.writeString(j.requestHash(), out);
    BinaryFields.writeString(j.source(), out);
    BinaryFields.writeString(j.error(), out);
  }

  @Override
  protected Judgment read(InputStream in) throws IOException {
    String id = BinaryFields.readString(in);
    String itemId = BinaryFields.readString(in);
    JudgmentKind kind = pick(KINDS, BinaryFields.readInt(in), "kind");
    String judge = BinaryFields.readString(in);
    String model = BinaryFields.readString(in);
    String template = BinaryFields.readString(in);
    String candidateA = BinaryFields.readString(in);
    String candidateB = BinaryFields.readString(in);
    int sample = BinaryFields.readInt(in);
    JudgmentStatus status = pick(STATUSES, BinaryFields.readInt(in), "status");
    Integer score = BinaryFields.readInt(in) == 0 ? null : BinaryFields.readInt(in);
    int v = BinaryFields.readInt(in);
    Verdict verdict = v == 0 ? null : pick(VERDICTS, v - 1, "verdict");
    String rationale = BinaryFields.readString(in);
    String raw = BinaryFields.readString(in);
    ReferenceMode mode = pick(MODES, BinaryFields.readInt(in), "reference mode");
    return new Judgment(id, itemId, kind, judge, model, template, candidateA, candidateB, sample, status, score, verdict,
        rationale, raw, mode, BinaryFields.readString(in), BinaryFields.readString(in), BinaryFields.readString(in));
  }

  private static <E> E pick(E[] values, int ordinal, String what) throws CoderException {
    if (ordinal < 0 || ordinal >= values.length) {
      throw new CoderException("no judgment " + what + " with ordinal " + ordinal);
    }
    return values[ordinal];
  }
}
