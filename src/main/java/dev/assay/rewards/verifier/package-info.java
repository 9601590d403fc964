/**
 * The {@code verifier} reward-model type: a rule check of each candidate's response against its prompt's reference
 * answer ({@link dev.assay.rewards.verifier.MatchMode}: exact, normalised or numeric), by {@link
 * dev.assay.rewards.verifier.VerifyAgainstReference}; {@link dev.assay.rewards.verifier.VerifierVoter} registers the
 * type.
 *
 * <p>Contract: a candidate without a reference answer is never guessed (reward NaN, counted). Depends only on the
 * {@code rewards} core, never on another type.
 */
package dev.assay.rewards.verifier;
