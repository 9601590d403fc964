/**
 * Preference pairs for policy training (self-rewarding): {@link dev.assay.curation.pairs.BuildPreferencePairs#build}
 * turns one prompt's kept consensus pair into a DPO pair and picks its SFT example, a plain function that the
 * pipeline's one grouping by prompt ({@code pipeline.ScoreAndCuratePairs}) and the CPU benchmark's loop both call, with the reward-hacking guard ({@link
 * dev.assay.curation.pairs.RewardHackingGuard}: judge-format markers and instructions aimed at the judge stay out of
 * {@code chosen}) and length control; everything it drops is a {@link dev.assay.curation.pairs.RejectedPreference}
 * with a reason. The recipe section is {@link dev.assay.curation.pairs.PairSpec}.
 */
package dev.assay.curation.pairs;
