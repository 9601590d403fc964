package dev.assay.grouping;

import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A composite's typed result that Beam sees as the one {@link POutput} it wraps (a collection or a tuple): the
 * subclass adds typed accessors, this class answers Beam's three questions (pipeline, expansion, finishing) by asking
 * the wrapped output, so a typed result is never a second set of values in the graph.
 *
 * <p>Contract: the wrapped output is fixed at construction and non-null; everything Beam sees is its. Failure mode:
 * {@link NullPointerException} at construction for a null output.
 */
public abstract class ForwardingOutput implements POutput {
  private final POutput wrapped;

  protected ForwardingOutput(POutput wrapped) {
    this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
  }

  @Override
  public final Pipeline getPipeline() {
    return wrapped.getPipeline();
  }

  @Override
  public final Map<TupleTag<?>, PValue> expand() {
    return wrapped.expand();
  }

  @Override
  public final void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {
    wrapped.finishSpecifyingOutput(transformName, input, transform);
  }
}
