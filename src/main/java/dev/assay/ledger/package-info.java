/**
 * The request ledger: every LLM request and its response stored under a content hash, so reruns and resumes after a
 * crash send no request that already completed.
 */
package dev.assay.ledger;
