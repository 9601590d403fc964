/**
 * Reliability and security guarantees, proved end to end through the CLI against the simulator: injected faults,
 * crash and resume, bad input, secrets, the budget cap and prompt injection. See {@code RELIABILITY.md} for what each
 * test proves and the figures it printed.
 */
package dev.assay.reliability;
