/**
 * The embedded OpenAI-compatible simulator: simulated policies, judges and scorers with a hidden true quality per
 * response ({@link dev.assay.sim.SimWorld}), configurable biases and failures ({@link dev.assay.sim.ModelProfile}),
 * latency and injected faults, served on loopback by {@link dev.assay.sim.Simulator}. Labelled as a simulator
 * everywhere it appears; it serves the demo, the tests, the benchmarks and the fault-injection suite.
 */
package dev.assay.sim;
