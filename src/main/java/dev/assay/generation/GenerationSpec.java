package dev.assay.generation;

import java.util.Objects;

/**
 * Response generation: K responses per prompt from one endpoint.
 *
 * @param endpoint a key of {@code endpoints}
 * @param k responses per prompt (default 4)
 * @param temperature default 0.8
 * @param topP default 1.0
 * @param maxTokens default 512
 * @param system an optional system message
 */
public record GenerationSpec(
    String endpoint, Integer k, Double temperature, Double topP, Integer maxTokens, String system) implements java.io.Serializable {
  public GenerationSpec {
    Objects.requireNonNull(endpoint, "endpoint");
    k = k == null ? 4 : k;
    temperature = temperature == null ? 0.8 : temperature;
    topP = topP == null ? 1.0 : topP;
    maxTokens = maxTokens == null ? 512 : maxTokens;
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1: " + k);
    }
  }
}
