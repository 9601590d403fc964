/**
 * Benchmarks run by {@code assay bench}: {@link dev.assay.bench.IoBenchmark}, the real judging transform against
 * the simulator at fixed latency, compared with the ideal rate C/L and a Python httpx client in the same run.
 * Figures and the machine they were taken on are in BENCHMARKS.md.
 */
package dev.assay.bench;
