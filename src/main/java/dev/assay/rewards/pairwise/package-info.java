/**
 * The {@code pairwise} reward-model type: one pairwise judge's both-order verdicts (JudgeLM swap) turned into a
 * preference per pair and a reward per candidate, a verdict that follows the position counting as a tie; and the
 * judge's {@link dev.assay.rewards.pairwise.FlipRate}.
 *
 * <p>{@link dev.assay.rewards.pairwise.ScoreWithPairwiseJudge} is the transform (its Javadoc has the rules), the vote
 * of one prompt a pure function shared with the flip rate; {@link dev.assay.rewards.pairwise.PairwiseVoter} registers
 * the type. Depends only on the {@code rewards} core, never on another type.
 */
package dev.assay.rewards.pairwise;
