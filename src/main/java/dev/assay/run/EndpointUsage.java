package dev.assay.run;

/**
 * What one endpoint was asked during a run, as recorded in the manifest.
 *
 * @param model the served model
 * @param requests calls sent to the server (each possibly retried)
 * @param ledgerHits calls answered from the ledger without a request
 * @param retries extra HTTP attempts beyond the first (counted by the in-process client)
 * @param failures calls that failed for good
 * @param promptTokens prompt tokens paid
 * @param completionTokens completion tokens paid
 * @param estimatedCost from the endpoint's configured prices (0 when none)
 */
public record EndpointUsage(
    String model,
    long requests,
    long ledgerHits,
    long retries,
    long failures,
    long promptTokens,
    long completionTokens,
    double estimatedCost) {}
