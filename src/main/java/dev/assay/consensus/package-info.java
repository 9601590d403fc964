/**
 * Consensus across reward models (SCIR, PRM-lessons): a preference pair is kept only when enough of the configured
 * reward models confidently prefer the same response as the primary reward model, and the primary's margin is large
 * enough. Kept pairs record who agreed and how strongly; rejected pairs record the reason and the votes, because a
 * disagreement between reward models is evidence about them.
 *
 * <p>The stage is plain Java: {@link dev.assay.consensus.FilterByConsensus#decide} decides one prompt (with the failures
 * for input it cannot decide) and {@link dev.assay.consensus.ConsensusDecision#decide} holds the rules, so they read
 * in one place and test without a pipeline. The pipeline's one grouping by prompt ({@code
 * pipeline.ScoreAndCuratePairs}) and the CPU benchmark's loop both call it.
 */
package dev.assay.consensus;
