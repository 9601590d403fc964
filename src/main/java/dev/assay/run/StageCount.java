package dev.assay.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * How one stage accounted for its inputs: {@code in = out + rejected + failed}, with the reasons behind rejections
 * and failures.
 *
 * @param in units the stage was given (for model stages: requests it had to answer)
 * @param out units it passed on
 * @param rejected units it filtered out, for a reason
 * @param failed units it could not process
 * @param reasons counts per reason code (e.g. {@code unparseable}, {@code RateLimitedException})
 */
public record StageCount(long in, long out, long rejected, long failed, Map<String, Long> reasons) {
  public StageCount {
    reasons = reasons == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(reasons));
    if (in < 0 || out < 0 || rejected < 0 || failed < 0) {
      throw new IllegalArgumentException("negative count in " + in + "/" + out + "/" + rejected + "/" + failed);
    }
  }

  /** Whether the invariant holds. */
  public boolean balanced() {
    return in == out + rejected + failed;
  }

  /** The accounting line printed at the end of a stage. */
  public String line(String stage) {
    StringBuilder sb =
        new StringBuilder()
            .append(stage)
            .append(": in ")
            .append(in)
            .append(" = out ")
            .append(out)
            .append(" + rejected ")
            .append(rejected)
            .append(" + failed ")
            .append(failed);
    if (!reasons.isEmpty()) {
      sb.append("  (");
      String sep = "";
      for (var e : reasons.entrySet()) {
        sb.append(sep).append(e.getKey()).append(' ').append(e.getValue());
        sep = ", ";
      }
      sb.append(')');
    }
    sb.append(balanced() ? "  [balanced]" : "  [UNBALANCED]");
    return sb.toString();
  }
}
