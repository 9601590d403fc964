package dev.assay.rewards;

import java.util.Objects;
import java.util.Set;

/**
 * One configured internal reward model (a voter), bound from {@code reward_models:} in a recipe. Several specs may
 * share a type with different judges, models or reference modes: each is its own voter.
 *
 * @param name the voter's name, unique in a recipe
 * @param type {@code judge} (mean of N absolute judgments), {@code pairwise} (both-order verdicts; a flip is a tie),
 *     {@code implicit} (DPO implicit reward from token log-probs), {@code trained} (a Tribuo model trained on earlier
 *     consensus labels) or {@code verifier} (match against the reference answer)
 * @param judge for {@code judge} and {@code pairwise}: the name of the judge (in {@code judges:}) whose judgments it
 *     reads
 * @param endpoint for {@code implicit}: the current model's endpoint
 * @param referenceEndpoint for {@code implicit}: the reference model's endpoint; null = length-normalised
 *     log-likelihood under the current model (CREAM's choice at iteration 0)
 * @param beta for {@code implicit}: the DPO beta (default 0.1)
 * @param labels for {@code trained}: a JSONL file of earlier consensus labels (path relative to the recipe folder)
 * @param match for {@code verifier}: {@code exact}, {@code normalised} (default) or {@code numeric}
 */
public record RewardModelSpec(
    String name,
    String type,
    String judge,
    String endpoint,
    String referenceEndpoint,
    Double beta,
    String labels,
    String match)
    implements java.io.Serializable {
  public static final Set<String> TYPES = Set.of("judge", "pairwise", "implicit", "trained", "verifier");

  public RewardModelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("type must be one of judge, pairwise, implicit, trained, verifier: " + type);
    }
    if ((type.equals("judge") || type.equals("pairwise")) && judge == null) {
      throw new IllegalArgumentException("a " + type + " reward model needs judge: (the name of a configured judge)");
    }
    if (type.equals("implicit") && endpoint == null) {
      throw new IllegalArgumentException("an implicit reward model needs endpoint:");
    }
    if (type.equals("trained") && labels == null) {
      throw new IllegalArgumentException("a trained reward model needs labels: (earlier consensus labels)");
    }
    beta = beta == null ? 0.1 : beta;
    if (!(beta > 0)) {
      throw new IllegalArgumentException("beta must be > 0: " + beta);
    }
    match = match == null ? "normalised" : match;
    if (!Set.of("exact", "normalised", "numeric").contains(match)) {
      throw new IllegalArgumentException("match must be exact, normalised or numeric: " + match);
    }
  }
}
