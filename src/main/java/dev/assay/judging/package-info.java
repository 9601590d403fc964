/**
 * Judgments: prompt templates and rubrics ({@code configs/templates}, {@code configs/rubrics}), parsers that give
 * every judge answer a status and never turn a failed or unparseable answer into a score, and importers of published
 * and users' own judgments. The {@code SampleJudgments} transform builds on this API.
 */
package dev.assay.judging;
