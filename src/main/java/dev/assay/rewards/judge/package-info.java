/**
 * The {@code judge} reward-model type: the mean of N absolute judgments of one judge per candidate, and a preference
 * per pair of candidates from those scores.
 *
 * <p>The rule is a plain function of one prompt's samples, {@link dev.assay.rewards.judge.JudgeScoring#score} ({@link
 * dev.assay.rewards.judge.ScoreSample}s in; rewards, preferences and {@link dev.assay.rewards.judge.JudgeScoreStats}
 * out): a self-rewarding run does not apply {@link dev.assay.rewards.judge.ScoreWithJudge} but scores its judge voters
 * with that function inside the pipeline's one grouping by prompt ({@code pipeline.ScoreAndCuratePairs}), and the CPU
 * benchmark's loop calls it too. {@link dev.assay.rewards.judge.JudgeVoter} registers the type.
 *
 * <p>Contract: a failed or unparseable judgment is never turned into a score (reward NaN, usable 0); depends only on
 * the {@code rewards} core, never on another type.
 */
package dev.assay.rewards.judge;
