/**
 * The filter audit on gold labels: replays published judges as voters through Assay's own judging ({@code
 * SampleJudgments} via {@link dev.assay.qualification.Qualification#judge}) and consensus ({@link
 * dev.assay.consensus.ConsensusDecision#decide}), applies Assay's filters (consensus, position consistency, and the
 * two chained) and measures, for every filter and every voter as the primary, what the filter kept and rejected against
 * human gold, with a seeded bootstrap interval on the gain ({@link dev.assay.stats.SubsetGain}).
 *
 * <p>{@link dev.assay.qualification.filters.FilterAudit} runs it; {@link
 * dev.assay.qualification.filters.FilterAuditResult} is what it found; {@link
 * dev.assay.qualification.filters.FilterAuditText} renders it for a person.
 */
package dev.assay.qualification.filters;
