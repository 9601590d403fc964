/**
 * Prompt filters, applied before generation: near-duplicate removal ({@link dev.assay.curation.filters.DedupePrompts},
 * MinHash over word shingles) and decontamination against evaluation sets ({@link
 * dev.assay.curation.filters.DecontaminatePrompts}, n-gram overlap). Each removed prompt goes to {@code rejected/}
 * as a {@link dev.assay.curation.filters.RemovedPrompt} with its reason; the recipe section is {@link
 * dev.assay.curation.filters.PromptFilterSpec}.
 */
package dev.assay.curation.filters;
