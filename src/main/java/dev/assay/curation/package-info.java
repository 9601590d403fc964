/**
 * Curation, by concept: {@code filters} (prompt dedupe and decontamination before generation), {@code pairs}
 * (self-rewarding DPO pairs and SFT examples for the policy) and {@code rationalization} (judge-training pairs from
 * a judge's own judgments). Every filter sends what it removes to {@code rejected/} with a reason.
 */
package dev.assay.curation;
