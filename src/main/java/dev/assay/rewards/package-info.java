/**
 * Internal reward models: each turns judgments, log-probs, reference answers or earlier labels into a reward per
 * candidate and a preference probability per pair. Each configured reward model is one voter for consensus.
 */
package dev.assay.rewards;
