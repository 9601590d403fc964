package dev.assay.io;

/**
 * A per-prompt result that is exactly one of kept, rejected (with a reason) or failed, as the stages that filter
 * decide it, so {@code in = out + rejected + failed} holds by construction. Plain Java: the pipeline sends whichever
 * is set to its own output.
 *
 * @param <K> the kept record
 * @param <R> the rejected record
 */
public interface KeptRejectedFailed<K, R> {
  K kept();

  R rejected();

  Failure failure();

  /**
   * Checks that exactly one of the three is set (call it from a record's compact constructor).
   *
   * @throws IllegalArgumentException when none or several are set: a stage's rule is broken
   */
  static void requireOne(Object kept, Object rejected, Failure failure) {
    int set = (kept == null ? 0 : 1) + (rejected == null ? 0 : 1) + (failure == null ? 0 : 1);
    if (set != 1) {
      throw new IllegalArgumentException("exactly one of kept, rejected and failure must be set, not " + set);
    }
  }
}
