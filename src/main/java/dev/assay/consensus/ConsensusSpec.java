package dev.assay.consensus;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The consensus stage of a recipe ({@code consensus:}): a pair is kept when at least {@code k} of the {@code m}
 * voters prefer the primary's chosen response, each with probability at least {@code c}, and the primary's reward
 * margin is at least {@code m0}.
 *
 * <p>Defaults: {@code k = 2}, {@code c = 0.6} (a preference of at least 60:40), {@code m0 = 0} (any margin; the pair
 * of a prompt always has a positive one), {@code models} = in a run, every reward model of the recipe (DESIGN: "k of
 * the m configured reward models"); {@link FilterByConsensus} on its own, which does not see the recipe, takes every
 * reward model that emitted a pair preference anywhere in its input. With {@code models} given, {@code m} is its size and a listed model without a
 * preference for a pair counts as abstaining; the primary votes only when it is one of the voters.
 *
 * @param k how many voters must agree, >= 1 and at most the number of listed models
 * @param c the smallest preference probability that counts as a vote, in [0.5, 1]
 * @param m0 the smallest primary margin (reward difference), finite and >= 0
 * @param primary the reward model (in {@code reward_models:}) whose rewards choose the pair
 * @param models the voters' names, distinct; null = every reward model of the recipe (see above)
 */
public record ConsensusSpec(Integer k, Double c, Double m0, String primary, List<String> models)
    implements java.io.Serializable {
  public ConsensusSpec {
    Objects.requireNonNull(primary, "primary");
    k = k == null ? 2 : k;
    c = c == null ? 0.6 : c;
    m0 = m0 == null ? 0.0 : m0;
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1: " + k);
    }
    if (!(c >= 0.5 && c <= 1)) {
      throw new IllegalArgumentException("c must be in [0.5, 1]: " + c);
    }
    if (!(m0 >= 0) || Double.isInfinite(m0)) {
      throw new IllegalArgumentException("m0 must be finite and >= 0: " + m0);
    }
    if (models != null) {
      if (models.isEmpty()) {
        throw new IllegalArgumentException("models must name at least one reward model (leave it out for all)");
      }
      if (models.stream().anyMatch(Objects::isNull) || new HashSet<>(models).size() != models.size()) {
        throw new IllegalArgumentException("models must be distinct names: " + models);
      }
      models = List.copyOf(models);
      if (k > models.size()) {
        throw new IllegalArgumentException("k must be at most the number of models (" + models.size() + "): " + k);
      }
    }
  }
}
