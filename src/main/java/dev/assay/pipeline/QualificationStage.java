package dev.assay.pipeline;

import dev.assay.io.Json;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.ReferenceMode;
import dev.assay.llm.BackendProvider;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.qualification.Qualification;
import dev.assay.qualification.QualificationResult;
import dev.assay.qualification.QualificationSection;
import dev.assay.qualification.QualificationSpec;
import dev.assay.run.GateResult;
import dev.assay.run.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The recipe's {@code qualification:} step, run before the main stages: qualifies the named judge on its labelled set
 * ({@link Qualification#run}) and writes the result to {@code qualification/result.json} in the run directory (its
 * ledger beside it, so a resumed run sends nothing again).
 *
 * <p>The judge is measured as configured (endpoint, model, template, rubric, temperature) but with one sample per
 * request and no reference answer: the labelled sets carry none, and qualification compares one verdict per item
 * and order. Failure modes: those of {@link Qualification#run}; a judge name the cross-checks let through is a bug.
 */
final class QualificationStage {
  private QualificationStage() {}

  /**
   * Qualifies the recipe's judge, or does nothing without a {@code qualification:} section.
   *
   * @return the {@code min_judge_accuracy} gate's result, or null when the recipe sets none
   */
  static GateResult run(
      Recipe recipe, Path recipeDir, List<JudgeDefinition> judges, Map<String, BackendProvider> providers, RunDirectory dir,
      RunnerChoice runner, PrintStream out) {
    QualificationSection q = recipe.qualification();
    if (q == null) {
      return null;
    }
    JudgeDefinition judge =
        judges.stream()
            .filter(j -> j.name().equals(q.judge()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("qualification judge " + q.judge() + " passed the cross-checks but is not configured"));
    JudgeDefinition once =
        new JudgeDefinition(judge.name(), judge.endpointName(), judge.model(), judge.kind(), 1, judge.temperature(),
            judge.maxTokens(), ReferenceMode.NONE, judge.template(), judge.rubric(), null);
    Double min = recipe.gates() == null ? null : recipe.gates().minJudgeAccuracy();
    QualificationSpec spec =
        new QualificationSpec(q.format().id() + ":" + recipeDir.resolve(q.set()), q.bothOrders(), q.parse(), min, recipe.seed());
    Path work = dir.root().resolve("qualification");
    QualificationResult result = Qualification.run(spec, once, providers.get(judge.endpointName()), work, null, runner.options());
    try {
      Files.writeString(work.resolve("result.json"), Json.pretty(result));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + work.resolve("result.json"), e);
    }
    Double acc = result.figures().accuracy();
    out.println(String.format(Locale.ROOT, "qualification: judge %s on %s: accuracy %s over %d items (qualification/result.json)",
        judge.name(), q.set(), acc == null ? "n/a" : String.format(Locale.ROOT, "%.4f", acc), result.figures().items()));
    return result.gate();
  }
}
