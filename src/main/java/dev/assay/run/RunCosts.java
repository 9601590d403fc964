package dev.assay.run;

import java.util.List;
import java.util.Objects;

/**
 * What a run paid, per stage and per kept pair: the manifest's {@code costs}. Tokens are those of fresh requests
 * (replayed ledger answers cost nothing); a cost is the tokens at the endpoint's prices, null when the endpoint has
 * none (free or unknown: a local server), so that "no price" never reads as "$0".
 *
 * @param stages what each stage paid each endpoint, sorted by stage then endpoint
 * @param promptTokens prompt tokens of the whole run
 * @param completionTokens completion tokens of the whole run
 * @param cost the run's cost at the endpoints' prices, null when no endpoint it paid has prices
 * @param keptPairs pairs the run published ({@code pairs/pairs.jsonl}), 0 for a run that makes none
 * @param costPerKeptPair {@code cost / keptPairs}, null without a cost or without kept pairs
 */
public record RunCosts(
    List<StageCost> stages, long promptTokens, long completionTokens, Double cost, long keptPairs, Double costPerKeptPair) {
  public RunCosts {
    stages = List.copyOf(stages);
  }

  /**
   * One stage's payments to one endpoint.
   *
   * @param stage the stage (as in the accounting)
   * @param endpoint the endpoint's name in the recipe
   * @param requests fresh requests sent
   * @param promptTokens their prompt tokens
   * @param completionTokens their completion tokens
   * @param cost at the endpoint's prices, null when it has none
   */
  public record StageCost(String stage, String endpoint, long requests, long promptTokens, long completionTokens, Double cost) {
    public StageCost {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }

  /** Sums the stages; {@code cost} is the sum of the priced stages, null when none is priced. */
  public static RunCosts of(List<StageCost> stages, long keptPairs) {
    long prompt = 0;
    long completion = 0;
    Double cost = null;
    for (StageCost s : stages) {
      prompt += s.promptTokens();
      completion += s.completionTokens();
      if (s.cost() != null) {
        cost = (cost == null ? 0 : cost) + s.cost();
      }
    }
    Double perPair = cost == null || keptPairs == 0 ? null : cost / keptPairs;
    return new RunCosts(stages, prompt, completion, cost, keptPairs, perPair);
  }

  /** One line for a person: tokens, cost and cost per kept pair where known. */
  public String line() {
    StringBuilder b = new StringBuilder("cost: ").append(promptTokens).append(" prompt + ").append(completionTokens).append(" completion tokens");
    if (cost != null) {
      b.append(String.format(java.util.Locale.ROOT, ", $%.4f", cost));
    } else {
      b.append(", no prices set");
    }
    b.append("; ").append(keptPairs).append(" kept pairs");
    if (costPerKeptPair != null) {
      b.append(String.format(java.util.Locale.ROOT, ", $%.6f per kept pair", costPerKeptPair));
    }
    return b.toString();
  }
}
