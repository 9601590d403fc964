/**
 * Internal reward models: each turns judgments, log-probs, reference answers or earlier labels into a reward per
 * candidate and a preference probability per pair. Each configured reward model is one voter for consensus.
 *
 * <p>This package is the core that every reward-model type and the stages share; each type lives in a sub-package of
 * its own that depends on the core and never the other way round (nor on another type):
 *
 * <ul>
 *   <li>{@code rewards.judge}: the mean of N absolute judgments, the rule a plain function ({@code
 *       JudgeScoring.score}) that the pipeline's one grouping by prompt ({@code pipeline.ScoreAndCuratePairs}) and
 *       the CPU benchmark's loop call;
 *   <li>{@code rewards.pairwise}: both-order pairwise verdicts, with the judge's flip rate;
 *   <li>{@code rewards.implicit}: the DPO implicit reward from token log-probs;
 *   <li>{@code rewards.trained}: a small model trained on earlier consensus labels;
 *   <li>{@code rewards.verifier}: a rule check against the reference answer.
 * </ul>
 *
 * <p>The core holds what crosses between them: the records every voter emits ({@link
 * dev.assay.rewards.CandidateReward}, {@link dev.assay.rewards.PairPreference}, their coders) and the output that
 * carries them ({@link dev.assay.rewards.RewardModelOutput}); the sealed spec family {@link
 * dev.assay.rewards.RewardModelSpec} (one record per built-in type, bound from a recipe's {@code reward_models:}
 * entry); the type contract {@link dev.assay.rewards.RewardModelType} and its registry {@link
 * dev.assay.rewards.RewardModelTypes} ({@code META-INF/services/dev.assay.rewards.RewardModelType}); the pairing of
 * rewards into preferences ({@link dev.assay.rewards.CompareRewards}, {@link dev.assay.rewards.PreferenceRule}); a
 * voter's counter names ({@link dev.assay.rewards.VoterMetrics}); the {@code implicit} hook {@link
 * dev.assay.rewards.ImplicitRewards}; and the shared text and statistics helpers ({@link
 * dev.assay.rewards.TextFeatures}, {@link dev.assay.rewards.Descriptive}) with the {@link
 * dev.assay.rewards.LengthBiasProbe}, which reports whether a judge rewards length.
 *
 * <p>{@link dev.assay.rewards.RewardModels} applies a spec through the registry, so it names no type: the pipeline
 * applies every voter that is not of type {@code judge} through it (judge voters are scored inside the curation's
 * grouping instead). Groupings by prompt go through {@code dev.assay.grouping} (a few shard keys, prompts separated
 * inside each shard, because the direct runner pays per key); no transform here knows how many shards there are.
 */
package dev.assay.rewards;
