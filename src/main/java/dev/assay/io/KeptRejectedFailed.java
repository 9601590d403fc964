package dev.assay.io;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A per-prompt result that is exactly one of kept, rejected (with a reason) or failed, as the stages that filter
 * decide it; {@link #emitTo} sends it to the tag of whichever it is, so {@code in = out + rejected + failed} holds
 * by construction.
 *
 * @param <K> the kept record
 * @param <R> the rejected record
 */
public interface KeptRejectedFailed<K, R> {
  K kept();

  R rejected();

  Failure failure();

  /** Sends the one that is set to its tag: kept first, then rejected, else the failure. */
  default void emitTo(DoFn.MultiOutputReceiver out, TupleTag<K> keptTag, TupleTag<R> rejectedTag, TupleTag<Failure> failedTag) {
    if (kept() != null) {
      out.get(keptTag).output(kept());
    } else if (rejected() != null) {
      out.get(rejectedTag).output(rejected());
    } else {
      out.get(failedTag).output(failure());
    }
  }
}
