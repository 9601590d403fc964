/**
 * Judge qualification: measures a judge against a labelled set (LLMBar's pairs with gold, PandaLM's pairs with three
 * human raters) before a round trusts it, through Assay's own judging code, and checks a gate.
 *
 * <p>{@link dev.assay.qualification.LabelledSet} reads the published sets as they are; {@link
 * dev.assay.qualification.Qualification#run} judges every item (both presentation orders where wanted) with {@code
 * SampleJudgments}, reads each verdict under a {@link dev.assay.qualification.ParseRule}, and returns a {@link
 * dev.assay.qualification.QualificationResult}: accuracy against gold on decisive items (ties apart) in each order and
 * in both, position consistency, Cohen's kappa against each human rater, the length probe, and the gate ({@link
 * dev.assay.qualification.QualificationResult#meetsGate()}). {@link dev.assay.qualification.QualificationSpec} is what
 * a recipe section or the {@code qualify} command states.
 */
package dev.assay.qualification;
