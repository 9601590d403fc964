/**
 * Benchmarks run by {@code assay bench}: {@link dev.assay.bench.IoBenchmark}, the real judging transform in a JVM of
 * its own ({@link dev.assay.bench.IoBenchClient}) against the simulator at fixed latency, compared with the ideal rate
 * C/L and a Python httpx client in the same run, both clients read from {@code /proc} while they work
 * ({@link dev.assay.bench.ProcessSample}); and
 * {@link dev.assay.bench.CpuBenchmark}, the self-rewarding scoring and curation (ScoreAndCuratePairs) (reward models, consistency, consensus, pairs) over
 * synthetic judgments as a plain loop, on the direct runner and on Flink {@code [local]}, each mode in its own JVM
 * and cross-checked by the hashes of what it published. Figures and the machine they were taken on are in
 * BENCHMARKS.md.
 */
package dev.assay.bench;
