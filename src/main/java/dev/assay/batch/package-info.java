/**
 * Offline batch files: a run's model requests written as OpenAI batch-format JSONL for a server-less GPU box ({@code
 * vllm run-batch}) or the Batch API, and the output files read back into the run's ledger, so that {@code ./assay run
 * --resume --offline} finishes the run with no live request.
 *
 * <p>Layout under a run directory: {@code batch/round-NNN/} per {@code ./assay batch write}, holding one request file
 * per endpoint and API ({@code <endpoint>.chat.jsonl}, {@code <endpoint>.completions.jsonl}) and {@code
 * pending.jsonl}, what the ledger needs to record each answer under the key the run will look up.
 */
package dev.assay.batch;
