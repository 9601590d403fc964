package dev.assay.rewards;

import dev.assay.generation.Candidate;
import dev.assay.judging.Judgment;
import java.nio.file.Path;
import org.apache.beam.sdk.values.PCollection;

/**
 * A kind of internal reward model: the {@code type:} value a recipe names, the record its entries bind to, and how
 * its voter is applied to a run's judgments and candidates.
 *
 * <p>To add a reward model: write its spec record (a {@link RewardModelSpec.Extension}), a transform producing its
 * {@link RewardModelOutput} (a reward per candidate, a preference per pair of candidates of one prompt, named with
 * the spec's name), and an implementation of this interface with a public no-argument constructor; then register
 * it with one line, its class name, in {@code META-INF/services/dev.assay.rewards.RewardModelType}. The recipe
 * binder, the consensus and the accounting then treat it like the built-in voters.
 *
 * <p>Contract: {@link #apply} only wires transforms (it runs on the driver while the pipeline is built); its step
 * names must be unique per voter, e.g. by ending in {@code [<name>]}. Failure modes: {@link
 * IllegalArgumentException} for a spec it cannot use; the transforms' own failures at run time.
 *
 * @param <S> the spec record of this type
 */
public interface RewardModelType<S extends RewardModelSpec> {
  /** The {@code type:} value, unique among registered types. */
  String name();

  /** The record an entry of this type binds to. */
  Class<S> spec();

  /** Applies the voter of {@code spec} and returns its outputs, tagged with {@code spec.name()}. */
  RewardModelOutput apply(S spec, Inputs inputs, Context context);

  /** What a voter reads. */
  record Inputs(PCollection<Judgment> judgments, PCollection<Candidate> candidates) {}

  /**
   * What a voter may need from the run beside its inputs.
   *
   * @param recipeDir the folder the recipe was read from (relative paths in a spec resolve against it)
   * @param runSeed the run's master seed
   * @param implicit the hook for the {@code implicit} type (it owns endpoints and the ledger), or null
   */
  record Context(Path recipeDir, long runSeed, ImplicitRewards implicit) {}

  /** The step name of a voter: {@code <transform>[<voter name>]}. */
  static String step(String transform, RewardModelSpec spec) {
    return transform + "[" + spec.name() + "]";
  }
}
