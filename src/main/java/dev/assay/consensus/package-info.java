/**
 * Consensus across reward models (SCIR, PRM-lessons): a preference pair is kept only when enough of the configured
 * reward models confidently prefer the same response as the primary reward model, and the primary's margin is large
 * enough. Kept pairs record who agreed and how strongly; rejected pairs record the reason and the votes, because a
 * disagreement between reward models is evidence about them.
 *
 * <p>{@link dev.assay.consensus.FilterByConsensus} is the Beam transform; the decision for one prompt is one pure
 * function inside it, so its rules read in one place.
 */
package dev.assay.consensus;
