package dev.assay.llm;

/**
 * What an endpoint was asked and what it cost, as a user pays for it.
 *
 * @param requests HTTP requests sent, retries included
 * @param succeeded logical calls that completed with a response
 * @param retries requests that were retries of an earlier attempt
 * @param failed logical calls that failed for good
 * @param promptTokens prompt tokens reported by the server
 * @param completionTokens completion tokens reported by the server
 * @param estimatedCost cost from the configured prices (0 when no prices are configured)
 */
public record EndpointStats(
    long requests,
    long succeeded,
    long retries,
    long failed,
    long promptTokens,
    long completionTokens,
    double estimatedCost) {}
