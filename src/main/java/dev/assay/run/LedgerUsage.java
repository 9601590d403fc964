package dev.assay.run;

import java.util.Objects;

/**
 * Which ledger a run's model calls went through and how it served them, as recorded in the manifest.
 *
 * @param path the ledger folder, absolute
 * @param shared whether it is a ledger shared across runs ({@code --ledger DIR} or the recipe's {@code ledger}) rather
 *     than the run directory's own {@code ledger/}
 * @param hits calls answered from the ledger without a request, over every endpoint
 * @param misses calls the ledger could not answer, so sent to an endpoint (each possibly retried), over every endpoint
 */
public record LedgerUsage(String path, boolean shared, long hits, long misses) {
  public LedgerUsage {
    Objects.requireNonNull(path, "path");
    if (hits < 0 || misses < 0) {
      throw new IllegalArgumentException("ledger counts must be >= 0: hits " + hits + ", misses " + misses);
    }
  }

  /** The ledger's figures from the run's per-endpoint usage. */
  public static LedgerUsage of(RunDirectory dir, java.util.Collection<EndpointUsage> usage) {
    long hits = usage.stream().mapToLong(EndpointUsage::ledgerHits).sum();
    long misses = usage.stream().mapToLong(EndpointUsage::requests).sum();
    return new LedgerUsage(dir.ledger().toString(), dir.sharesLedger(), hits, misses);
  }
}
