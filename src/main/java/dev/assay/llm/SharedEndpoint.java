package dev.assay.llm;

import java.util.Objects;

/**
 * The production {@link BackendProvider}: the JVM-wide shared client of a configured endpoint, so every DoFn
 * instance on a worker shares its in-flight bound, rate limits and budget.
 */
public record SharedEndpoint(String name, EndpointConfig config) implements BackendProvider {
  public SharedEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
  }

  @Override
  public LlmBackend get() {
    return Endpoints.shared(name, config);
  }
}
