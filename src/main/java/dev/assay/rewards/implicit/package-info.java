/**
 * The {@code implicit} reward-model type: the DPO implicit reward of each candidate from token log-probs of the
 * current (and, optionally, a reference) model's completions endpoint.
 *
 * <p>{@link dev.assay.rewards.implicit.ScoreWithImplicitReward} is the transform; it owns the endpoints and the ledger
 * it calls through, so the pipeline hands it to the type as the core's {@code ImplicitRewards} hook, and {@link
 * dev.assay.rewards.implicit.ImplicitVoter} registers the type. A prompt and a response are joined by a {@link
 * dev.assay.rewards.implicit.ScoringFormat}; the response's tokens are found by {@link
 * dev.assay.rewards.implicit.ResponseLogprobs}; log-probs that cannot give a reward are {@link
 * dev.assay.rewards.implicit.UnusableLogprobsException}s, routed to the failures output. Depends only on the {@code
 * rewards} core and the services below it, never on another type.
 */
package dev.assay.rewards.implicit;
