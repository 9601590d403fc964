/**
 * Internal reward models: each turns judgments, log-probs, reference answers or earlier labels into a reward per
 * candidate and a preference probability per pair. Each configured reward model is one voter for consensus.
 *
 * <p>Every voter is a composite transform that returns a {@link dev.assay.rewards.RewardModelOutput}
 * ({@link dev.assay.rewards.CandidateReward}s and {@link dev.assay.rewards.PairPreference}s tagged with the voter's
 * name): {@link dev.assay.rewards.ScoreWithJudge} ({@code judge}), {@link dev.assay.rewards.ScoreWithPairwiseJudge}
 * ({@code pairwise}, with the judge's {@link dev.assay.rewards.FlipRate}), {@link dev.assay.rewards.VerifyAgainstReference}
 * ({@code verifier}), {@link dev.assay.rewards.ScoreWithTrainedModel} ({@code trained}) and, through the
 * {@link dev.assay.rewards.RewardModels.ImplicitRewards} hook, {@code ScoreWithImplicitReward} ({@code implicit}).
 * A voter's kind is a {@link dev.assay.rewards.RewardModelType} registered in {@code
 * META-INF/services/dev.assay.rewards.RewardModelType} ({@link dev.assay.rewards.RewardModelTypes}); its recipe entry
 * binds to a record of the sealed {@link dev.assay.rewards.RewardModelSpec} family. {@link
 * dev.assay.rewards.RewardModels} applies a recipe's specs through the registry. The {@code judge} voters of a
 * self-rewarding run are scored inside the pipeline's one grouping by prompt instead ({@code ScoreAndCuratePairs}). Grouping always goes through
 * {@link dev.assay.rewards.GroupIntoPromptShards}: a few shard keys, prompts separated inside each shard, because the
 * direct runner pays per key. {@link dev.assay.rewards.LengthBiasProbe} reports whether a judge rewards length.
 */
package dev.assay.rewards;
