/** Judgments: templates, rubrics, parsers with statuses, importers, and the {@code SampleJudgments} transform. */
package dev.assay.judging;
