package dev.assay.judging;

import java.util.Objects;

/**
 * One judge: a voter made of an endpoint, a template, a rubric and a reference mode.
 *
 * @param name the voter's name, unique in a recipe (recorded on every judgment)
 * @param endpoint a key of {@code endpoints}
 * @param kind {@code absolute} or {@code pairwise} (pairwise runs both orders)
 * @param n samples per request (default 3)
 * @param template path of a template YAML under {@code configs/templates/}, relative to the recipe's folder
 * @param rubric path of a rubric YAML (absolute judging), relative to the recipe's folder
 * @param referenceMode {@code none}, {@code given} or {@code adapted} (default none)
 * @param temperature default 1.0
 * @param maxTokens default 1024
 * @param reviseTemplate for {@code adapted}: the revision template (default {@code revise.yaml} beside the template)
 * @param structured ask for structured output ({@code response_format} with the judgment's JSON schema, see
 *     {@link StructuredJudging}); default false: free text read by the text parsers. Changes the requests, so the
 *     ledger keys, only when true
 * @param nPerRequest ask for the samples in one request with {@code n} (the prompt is billed once; each choice is
 *     its own judgment); default false: one request per sample. Changes the requests, so the ledger keys, only when
 *     true
 * @param adaptive adaptive sampling ({@link AdaptiveSampling}) for an absolute judge instead of a fixed {@code n};
 *     null for fixed {@code n}
 */
public record JudgeSpec(
    String name,
    String endpoint,
    String kind,
    Integer n,
    String template,
    String rubric,
    String referenceMode,
    Double temperature,
    Integer maxTokens,
    String reviseTemplate,
    Boolean structured,
    Boolean nPerRequest,
    AdaptiveSampling adaptive) implements java.io.Serializable {
  public JudgeSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(template, "template");
    kind = kind == null ? "absolute" : kind;
    if (!kind.equals("absolute") && !kind.equals("pairwise")) {
      throw new IllegalArgumentException("kind must be absolute or pairwise: " + kind);
    }
    n = n == null ? 3 : n;
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
    referenceMode = referenceMode == null ? "none" : referenceMode;
    if (!java.util.Set.of("none", "given", "adapted").contains(referenceMode)) {
      throw new IllegalArgumentException("reference_mode must be none, given or adapted: " + referenceMode);
    }
    temperature = temperature == null ? 1.0 : temperature;
    maxTokens = maxTokens == null ? 1024 : maxTokens;
    structured = structured != null && structured;
    nPerRequest = nPerRequest != null && nPerRequest;
    if (adaptive != null && !kind.equals("absolute")) {
      throw new IllegalArgumentException("adaptive sampling is for absolute judges; " + name + " is " + kind);
    }
  }

  /** A judge with fixed {@code n}, one request per sample (the form before {@code n_per_request}). */
  public JudgeSpec(
      String name, String endpoint, String kind, Integer n, String template, String rubric, String referenceMode,
      Double temperature, Integer maxTokens, String reviseTemplate, Boolean structured) {
    this(name, endpoint, kind, n, template, rubric, referenceMode, temperature, maxTokens, reviseTemplate, structured, null, null);
  }

  /** A judge without structured output (the form before {@code structured} existed). */
  public JudgeSpec(
      String name, String endpoint, String kind, Integer n, String template, String rubric, String referenceMode,
      Double temperature, Integer maxTokens, String reviseTemplate) {
    this(name, endpoint, kind, n, template, rubric, referenceMode, temperature, maxTokens, reviseTemplate, null, null, null);
  }
}
