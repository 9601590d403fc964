package dev.assay.rewards.implicit;

import dev.assay.llm.BackendProvider;
import dev.assay.llm.SharedEndpoint;
import java.io.Serializable;
import java.util.Objects;

/**
 * A model whose completions endpoint scores texts: the endpoint's name in the recipe (metrics are counted under it),
 * the served model name sent in requests, and how a worker reaches it.
 */
public record ScoringModel(String endpointName, String model, BackendProvider backend) implements Serializable {
  public ScoringModel {
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(backend, "backend");
  }

  /** The production wiring: the JVM-wide shared client of a configured endpoint, and that endpoint's model. */
  public static ScoringModel of(SharedEndpoint endpoint) {
    return new ScoringModel(endpoint.name(), endpoint.config().model(), endpoint);
  }
}
