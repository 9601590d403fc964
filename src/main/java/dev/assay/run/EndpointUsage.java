package dev.assay.run;

/**
 * What one endpoint was asked during a run, as recorded in the manifest.
 *
 * @param model the model the endpoint's config requests
 * @param requests calls sent to the server (each possibly retried)
 * @param ledgerHits calls answered from the ledger without a request
 * @param retries extra HTTP attempts beyond the first (counted by the in-process client)
 * @param failures calls that failed for good
 * @param promptTokens prompt tokens paid
 * @param completionTokens completion tokens paid
 * @param estimatedCost from the endpoint's configured prices (0 when none)
 * @param servedModels the models this run's fresh responses named, sorted (the requested one, a dated snapshot of
 *     it, or the endpoint's {@code served_model}: anything else failed its call); empty when nothing was sent
 */
public record EndpointUsage(
    String model,
    long requests,
    long ledgerHits,
    long retries,
    long failures,
    long promptTokens,
    long completionTokens,
    double estimatedCost,
    java.util.List<String> servedModels) {
  public EndpointUsage {
    // Manifests written before served models were recorded have none.
    servedModels = servedModels == null ? java.util.List.of() : java.util.List.copyOf(servedModels);
  }
}
