/**
 * Internal reward models: each turns judgments, log-probs, reference answers or earlier labels into a reward per
 * candidate and a preference probability per pair. Each configured reward model is one voter for consensus.
 *
 * <p>A voter's kind is a {@link dev.assay.rewards.RewardModelType} registered in {@code
 * META-INF/services/dev.assay.rewards.RewardModelType} ({@link dev.assay.rewards.RewardModelTypes}); its recipe entry
 * binds to a record of the sealed {@link dev.assay.rewards.RewardModelSpec} family. {@link
 * dev.assay.rewards.RewardModels} applies a spec through the registry, and the type returns a composite transform
 * whose output is a {@link dev.assay.rewards.RewardModelOutput} ({@link dev.assay.rewards.CandidateReward}s and {@link
 * dev.assay.rewards.PairPreference}s tagged with the voter's name): {@link dev.assay.rewards.ScoreWithPairwiseJudge}
 * ({@code pairwise}, with the judge's {@link dev.assay.rewards.FlipRate}), {@link
 * dev.assay.rewards.VerifyAgainstReference} ({@code verifier}), {@link dev.assay.rewards.ScoreWithTrainedModel}
 * ({@code trained}), {@code ScoreWithImplicitReward} ({@code implicit}, through the {@link
 * dev.assay.rewards.RewardModels.ImplicitRewards} hook) and {@link dev.assay.rewards.ScoreWithJudge} ({@code judge}).
 *
 * <p>The {@code judge} voter's rule is a plain function of one prompt's samples, {@link
 * dev.assay.rewards.JudgeScoring#score} ({@link dev.assay.rewards.ScoreSample}s in; rewards, preferences and
 * {@link dev.assay.rewards.JudgeScoreStats} out): a self-rewarding run does not apply {@code ScoreWithJudge} but
 * scores its judge voters with that function inside the pipeline's one grouping by prompt ({@code
 * pipeline.ScoreAndCuratePairs}), and the CPU benchmark's loop calls it too. Groupings by prompt go through {@code
 * dev.assay.grouping} (a few shard keys, prompts separated inside each shard, because the direct runner pays per
 * key); no transform here knows how many shards there are. {@link dev.assay.rewards.LengthBiasProbe} reports whether
 * a judge rewards length.
 */
package dev.assay.rewards;
