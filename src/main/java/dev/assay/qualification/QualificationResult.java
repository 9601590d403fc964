package dev.assay.qualification;

import dev.assay.judging.JudgmentKind;
import dev.assay.run.GateResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A judge's qualification: who was measured on what, how the answers fared, the figures, and the gate.
 *
 * @param set the labelled set's file
 * @param judge the judge's name
 * @param model the model id the judge asked for ({@code replay:<evaluator>/<strategy>} for a replay)
 * @param template the grading template, {@code id@version}
 * @param kind pairwise or absolute
 * @param parseRule {@link ParseRule#id()} of the rule verdicts were read with
 * @param orders {@code both} or {@code one}
 * @param replay the replay's notice when published answers stood in for the judge, else null
 * @param statuses judgments by status ({@code ok}, {@code unparseable}, ..., {@code failed})
 * @param failures up to five distinct reasons of failed judgments (e.g. what a replay could not match)
 * @param figures the figures
 * @param gate the {@code min_judge_accuracy} gate's outcome (pooled accuracy against the spec's minimum), or null when
 *     no gate was set; the same record a recipe's gates are recorded with in the manifest
 */
public record QualificationResult(
    String set,
    String judge,
    String model,
    String template,
    JudgmentKind kind,
    String parseRule,
    String orders,
    String replay,
    Map<String, Long> statuses,
    List<String> failures,
    QualificationFigures figures,
    GateResult gate) {
  public QualificationResult {
    Objects.requireNonNull(figures, "figures");
    statuses = Map.copyOf(statuses);
    failures = List.copyOf(failures);
  }

  /** Whether the judge clears the gate (true when none was set). */
  public boolean meetsGate() {
    return gate == null || gate.passed();
  }
}
