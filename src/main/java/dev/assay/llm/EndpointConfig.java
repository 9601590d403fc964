package dev.assay.llm;

import java.util.Objects;

/**
 * One OpenAI-compatible endpoint and the limits Assay keeps towards it. Bound from {@code endpoints:} in a recipe
 * or a file under {@code configs/endpoints/}. Null fields take the defaults below.
 *
 * @param baseUrl the server root including {@code /v1}, e.g. {@code http://127.0.0.1:8000/v1}
 * @param model the served model name sent in requests
 * @param apiKeyEnv name of the environment variable holding the API key (the key itself is never in a config)
 * @param maxInFlight concurrent requests to this endpoint, JVM-wide (default 64)
 * @param requestsPerMinute request rate limit, 0 = none (default 0)
 * @param tokensPerMinute token rate limit (prompt estimate + max tokens), 0 = none (default 0)
 * @param maxRetries retries after the first attempt on 429, 5xx, timeouts and transport errors (default 5)
 * @param initialBackoffMs first backoff, doubled each retry, with full jitter (default 500)
 * @param maxBackoffMs backoff ceiling, also the ceiling for honoured Retry-After (default 30000)
 * @param connectTimeoutMs connect timeout (default 10000)
 * @param readTimeoutMs read timeout, per request (default 120000)
 * @param budgetTokens stop cleanly once this many tokens were spent, 0 = no cap (default 0)
 * @param budgetCost stop cleanly once the estimated cost reaches this, 0 = no cap (default 0)
 * @param inputCostPerMillion price of a million prompt tokens, for the cost estimate (default 0)
 * @param outputCostPerMillion price of a million completion tokens (default 0)
 * @param stopOnRepeatedError stop retrying a request once the server gave the same error answer (status and body) to
 *     two attempts in a row, for servers whose 500s are deterministic (llama.cpp answers a seeded request that hits
 *     an encoding bug identically every time). Applies to 5xx other than 502, 503 and 504, which mean "try later".
 *     (default false: every retryable answer is retried up to {@code max_retries})
 * @param servedModel the name the server gives its model in responses, when it differs from {@code model} (llama.cpp
 *     names its model file or {@code --alias}); a response naming neither, nor {@code model} plus a dated snapshot
 *     suffix, fails its call ({@link WrongModelException}). Default none.
 * @param firstByteTimeoutMs how long an attempt may wait for the answer's first byte once sent, that is for the
 *     server to queue and generate a non-streamed answer (default: {@code read_timeout_ms})
 * @param totalTimeoutMs the whole attempt, connecting to the last body byte (default: connect + 2 x read timeout)
 * @param mode {@code online} (default: one HTTP request per call) or {@code batch} (calls go through the provider's
 *     Batch API, {@code /v1/files} and {@code /v1/batches}: see {@link BatchConfig})
 * @param batch how batch mode sends and polls (defaults when null)
 * @param batchDiscount the share of the price taken off requests sent in batch mode (OpenAI and Anthropic bill
 *     batches at half price: 0.5), in [0, 1) (default 0: no discount). Read only for requests an endpoint sends
 *     as batches ({@link #batchCost}); online requests always cost {@link #cost}
 * @param minInFlight the floor of the adaptive window (AIMD below {@code max_in_flight}, online mode): a 429, 503 or
 *     timeout never halves it below this (default 1: the window may fall to one attempt). Equal to
 *     {@code max_in_flight}, it keeps that many attempts on the wire whatever the server answers: for a fleet whose
 *     capacity is known and whose 429s and timeouts do not mean overload (a 2.5% share of each halved a window of
 *     4,096 to single digits; RELIABILITY.md, "The crash guarantee at scale"). At most {@code max_in_flight}
 */
public record EndpointConfig(
    String baseUrl,
    String model,
    String apiKeyEnv,
    Integer maxInFlight,
    Integer requestsPerMinute,
    Integer tokensPerMinute,
    Integer maxRetries,
    Long initialBackoffMs,
    Long maxBackoffMs,
    Long connectTimeoutMs,
    Long readTimeoutMs,
    Long budgetTokens,
    Double budgetCost,
    Double inputCostPerMillion,
    Double outputCostPerMillion,
    Boolean stopOnRepeatedError,
    String servedModel,
    Long firstByteTimeoutMs,
    Long totalTimeoutMs,
    String mode,
    BatchConfig batch,
    Double batchDiscount,
    Integer minInFlight)
    implements java.io.Serializable {
  /** Online: one HTTP request per call. */
  public static final String ONLINE = "online";

  /** Batch: calls go through the Batch API. */
  public static final String BATCH = "batch";

  /**
   * Batch mode's limits and timings: the {@code batch:} block of an endpoint's settings, read by the batch service
   * (a service's settings, hence {@code Config}).
   *
   * @param maxRequests requests per batch file (OpenAI's limit: 50,000; default 50,000)
   * @param maxBytes bytes per batch file (OpenAI's limit: 200 MB; default 190,000,000)
   * @param idleMs a batch is submitted once no new call arrived for this long, or when full (default 2,000)
   * @param pollMs first wait before asking a batch's status, doubled after each answer that it still runs
   *     (default 10,000)
   * @param maxPollMs the longest wait between two status questions (default 300,000)
   */
  public record BatchConfig(Integer maxRequests, Long maxBytes, Long idleMs, Long pollMs, Long maxPollMs)
      implements java.io.Serializable {
    public BatchConfig {
      maxRequests = positive(maxRequests, 50_000, "batch.max_requests");
      maxBytes = positive(maxBytes, 190_000_000L, "batch.max_bytes");
      idleMs = positive(idleMs, 2_000L, "batch.idle_ms");
      pollMs = positive(pollMs, 10_000L, "batch.poll_ms");
      maxPollMs = positive(maxPollMs, 300_000L, "batch.max_poll_ms");
    }

    public static BatchConfig defaults() {
      return new BatchConfig(null, null, null, null, null);
    }
  }

  /** An endpoint whose adaptive window may fall to one attempt (the default floor). */
  public EndpointConfig(
      String baseUrl, String model, String apiKeyEnv, Integer maxInFlight, Integer requestsPerMinute,
      Integer tokensPerMinute, Integer maxRetries, Long initialBackoffMs, Long maxBackoffMs, Long connectTimeoutMs,
      Long readTimeoutMs, Long budgetTokens, Double budgetCost, Double inputCostPerMillion, Double outputCostPerMillion,
      Boolean stopOnRepeatedError, String servedModel, Long firstByteTimeoutMs, Long totalTimeoutMs, String mode,
      BatchConfig batch, Double batchDiscount) {
    this(baseUrl, model, apiKeyEnv, maxInFlight, requestsPerMinute, tokensPerMinute, maxRetries, initialBackoffMs,
        maxBackoffMs, connectTimeoutMs, readTimeoutMs, budgetTokens, budgetCost, inputCostPerMillion, outputCostPerMillion,
        stopOnRepeatedError, servedModel, firstByteTimeoutMs, totalTimeoutMs, mode, batch, batchDiscount, null);
  }

  /** An endpoint in online mode. */
  public EndpointConfig(
      String baseUrl, String model, String apiKeyEnv, Integer maxInFlight, Integer requestsPerMinute,
      Integer tokensPerMinute, Integer maxRetries, Long initialBackoffMs, Long maxBackoffMs, Long connectTimeoutMs,
      Long readTimeoutMs, Long budgetTokens, Double budgetCost, Double inputCostPerMillion, Double outputCostPerMillion,
      Boolean stopOnRepeatedError, String servedModel, Long firstByteTimeoutMs, Long totalTimeoutMs) {
    this(baseUrl, model, apiKeyEnv, maxInFlight, requestsPerMinute, tokensPerMinute, maxRetries, initialBackoffMs,
        maxBackoffMs, connectTimeoutMs, readTimeoutMs, budgetTokens, budgetCost, inputCostPerMillion, outputCostPerMillion,
        stopOnRepeatedError, servedModel, firstByteTimeoutMs, totalTimeoutMs, null, null, null);
  }

  /** Whether calls go through the Batch API. */
  public boolean batchMode() {
    return BATCH.equals(mode);
  }
  /** An endpoint with the separate first-byte and total timeouts at their defaults. */
  public EndpointConfig(
      String baseUrl, String model, String apiKeyEnv, Integer maxInFlight, Integer requestsPerMinute,
      Integer tokensPerMinute, Integer maxRetries, Long initialBackoffMs, Long maxBackoffMs, Long connectTimeoutMs,
      Long readTimeoutMs, Long budgetTokens, Double budgetCost, Double inputCostPerMillion, Double outputCostPerMillion,
      Boolean stopOnRepeatedError, String servedModel) {
    this(baseUrl, model, apiKeyEnv, maxInFlight, requestsPerMinute, tokensPerMinute, maxRetries, initialBackoffMs,
        maxBackoffMs, connectTimeoutMs, readTimeoutMs, budgetTokens, budgetCost, inputCostPerMillion, outputCostPerMillion,
        stopOnRepeatedError, servedModel, null, null);
  }

  public EndpointConfig {
    Objects.requireNonNull(baseUrl, "base_url");
    Objects.requireNonNull(model, "model");
    maxInFlight = positive(maxInFlight, 64, "max_in_flight");
    requestsPerMinute = nonNegative(requestsPerMinute, 0, "requests_per_minute");
    tokensPerMinute = nonNegative(tokensPerMinute, 0, "tokens_per_minute");
    maxRetries = nonNegative(maxRetries, 5, "max_retries");
    initialBackoffMs = nonNegative(initialBackoffMs, 500L, "initial_backoff_ms");
    maxBackoffMs = nonNegative(maxBackoffMs, 30_000L, "max_backoff_ms");
    connectTimeoutMs = positive(connectTimeoutMs, 10_000L, "connect_timeout_ms");
    readTimeoutMs = positive(readTimeoutMs, 120_000L, "read_timeout_ms");
    budgetTokens = nonNegative(budgetTokens, 0L, "budget_tokens");
    budgetCost = nonNegative(budgetCost, 0.0, "budget_cost");
    inputCostPerMillion = nonNegative(inputCostPerMillion, 0.0, "input_cost_per_million");
    outputCostPerMillion = nonNegative(outputCostPerMillion, 0.0, "output_cost_per_million");
    stopOnRepeatedError = stopOnRepeatedError != null && stopOnRepeatedError;
    servedModel = servedModel == null || servedModel.isBlank() ? null : servedModel;
    firstByteTimeoutMs = positive(firstByteTimeoutMs, readTimeoutMs, "first_byte_timeout_ms");
    totalTimeoutMs = positive(totalTimeoutMs, connectTimeoutMs + 2 * readTimeoutMs, "total_timeout_ms");
    mode = mode == null ? ONLINE : mode;
    if (!mode.equals(ONLINE) && !mode.equals(BATCH)) {
      throw new IllegalArgumentException("mode must be online or batch: " + mode);
    }
    batch = batch == null ? BatchConfig.defaults() : batch;
    batchDiscount = nonNegative(batchDiscount, 0.0, "batch_discount");
    if (batchDiscount >= 1) {
      throw new IllegalArgumentException("batch_discount must be < 1 (a share of the price): " + batchDiscount);
    }
    minInFlight = positive(minInFlight, 1, "min_in_flight");
    if (minInFlight > maxInFlight) {
      throw new IllegalArgumentException(
          "min_in_flight must be at most max_in_flight (" + maxInFlight + "): " + minInFlight);
    }
    if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new IllegalArgumentException("base_url must start with http:// or https://: " + baseUrl);
    }
  }

  /**
   * An endpoint with these limits and every option for real servers' quirks at its default: what code that sets
   * limits only writes, so that adding such an option does not change every call.
   */
  public EndpointConfig(
      String baseUrl,
      String model,
      String apiKeyEnv,
      Integer maxInFlight,
      Integer requestsPerMinute,
      Integer tokensPerMinute,
      Integer maxRetries,
      Long initialBackoffMs,
      Long maxBackoffMs,
      Long connectTimeoutMs,
      Long readTimeoutMs,
      Long budgetTokens,
      Double budgetCost,
      Double inputCostPerMillion,
      Double outputCostPerMillion) {
    this(baseUrl, model, apiKeyEnv, maxInFlight, requestsPerMinute, tokensPerMinute, maxRetries, initialBackoffMs,
        maxBackoffMs, connectTimeoutMs, readTimeoutMs, budgetTokens, budgetCost, inputCostPerMillion,
        outputCostPerMillion, null, null, null, null);
  }

  /** An endpoint with every limit at its default. */
  public static EndpointConfig of(String baseUrl, String model) {
    return new EndpointConfig(baseUrl, model, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private static <T extends Number & Comparable<T>> T positive(T v, T dflt, String name) {
    if (v == null) {
      return dflt;
    }
    if (v.doubleValue() <= 0) {
      throw new IllegalArgumentException(name + " must be > 0: " + v);
    }
    return v;
  }

  private static <T extends Number & Comparable<T>> T nonNegative(T v, T dflt, String name) {
    if (v == null) {
      return dflt;
    }
    if (v.doubleValue() < 0) {
      throw new IllegalArgumentException(name + " must be >= 0: " + v);
    }
    return v;
  }

  /**
   * The estimated cost of {@code promptTokens} and {@code completionTokens} at this endpoint's prices (0 without
   * prices). One formula for the client's budget and the manifest, which computes a run's cost from the token
   * counters every worker reports.
   */
  public double cost(long promptTokens, long completionTokens) {
    return (promptTokens * inputCostPerMillion + completionTokens * outputCostPerMillion) / 1e6;
  }

  /** The cost of tokens sent in batch mode: {@link #cost} less {@code batch_discount}. */
  public double batchCost(long promptTokens, long completionTokens) {
    return cost(promptTokens, completionTokens) * (1 - batchDiscount);
  }

  /** What this endpoint bills for these tokens: the batch price in batch mode ({@code mode: batch}), else the full one. */
  public double billedCost(long promptTokens, long completionTokens) {
    return batchMode() ? batchCost(promptTokens, completionTokens) : cost(promptTokens, completionTokens);
  }

  /** Whether this endpoint has prices at all (a cost of 0 then means free, not unknown). */
  public boolean priced() {
    return inputCostPerMillion > 0 || outputCostPerMillion > 0;
  }
}
