/**
 * Consistency across iterations (CREAM): how far the current and the previous model rank the same responses of a
 * prompt alike, {@code C(x) = (tau_b + 1) / 2}, the set-level rate {@code C = mean C(x)} and {@code label_smoothing =
 * 1 - C}.
 *
 * <p>One place for the concept: {@link dev.assay.consistency.PromptConsistency#of} is the per-prompt math, {@link
 * dev.assay.consistency.MeasureConsistency#measure} the stage's rule for one prompt (report or filter, failures for
 * sides it cannot rank) and {@link dev.assay.consistency.ConsistencyTally} the set-level math. All are plain Java:
 * the pipeline's one grouping by prompt ({@code pipeline.ScoreAndCuratePairs}), the CPU benchmark's loop and the
 * {@code ./assay audit} report ({@link dev.assay.consistency.AuditReport}) call them.
 *
 * <p><b>Undefined values.</b> C(x) is undefined when fewer than two candidates have a defined reward on both sides,
 * or when every ranked candidate ties on one side (tau-b divides by zero there). An undefined value is {@code null}
 * in Java and in JSON, never 0.5: 0.5 reads as "uncorrelated", which is a measurement, and null makes any arithmetic
 * on it fail loudly. Undefined prompts are counted with their reason and left out of the mean.
 */
package dev.assay.consistency;
