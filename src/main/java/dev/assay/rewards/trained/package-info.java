/**
 * The {@code trained} reward-model type: a small Tribuo linear model ({@link
 * dev.assay.rewards.trained.TrainedRewardModel}) trained on the driver on earlier iterations' consensus labels ({@link
 * dev.assay.rewards.trained.ConsensusLabels}), then applied to every candidate by {@link
 * dev.assay.rewards.trained.ScoreWithTrainedModel}; {@link dev.assay.rewards.trained.TrainedVoter} registers the type.
 *
 * <p>Contract: the same labels and seed give the same model; a bad labels file is an {@code InputException} while the
 * pipeline is built. Depends only on the {@code rewards} core (its text features among them), never on another type.
 */
package dev.assay.rewards.trained;
