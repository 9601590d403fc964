/**
 * Preference pairs for policy training (self-rewarding): {@link dev.assay.curation.pairs.BuildPreferencePairs} turns
 * the pairs consensus kept into DPO pairs and SFT examples, with the reward-hacking guard ({@link
 * dev.assay.curation.pairs.RewardHackingGuard}: judge-format markers and instructions aimed at the judge stay out of
 * {@code chosen}) and length control; everything it drops is a {@link dev.assay.curation.pairs.RejectedPreference}
 * with a reason. The recipe section is {@link dev.assay.curation.pairs.PairSpec}.
 */
package dev.assay.curation.pairs;
