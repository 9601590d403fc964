/**
 * Judge training (self-rationalization): pairs of a judge's own judgments, chosen = a judgment with the gold (or
 * pseudo-gold, {@link dev.assay.curation.rationalization.PseudoGold}) score, rejected = the one furthest from it
 * ({@link dev.assay.curation.rationalization.BuildRationalizationPairs}); ties among right judgments broken by a seeded
 * pick or a meta judge ({@link dev.assay.curation.rationalization.TieBreak}, {@link
 * dev.assay.curation.rationalization.MetaJudge}); per-iteration accuracy, error and kappa ({@link
 * dev.assay.curation.rationalization.RationalizationMetrics}). The recipe section is {@link
 * dev.assay.curation.rationalization.RationalizationSpec}.
 */
package dev.assay.curation.rationalization;
