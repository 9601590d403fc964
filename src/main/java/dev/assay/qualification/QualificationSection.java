package dev.assay.qualification;

import java.util.Objects;

/**
 * The {@code qualification:} section of a recipe: one of its judges is qualified on a labelled set before the run's
 * main stages ({@link Qualification#run}); with {@code gates.min_judge_accuracy} a judge that falls short
 * stops the run there, with exit 1 and manifest status {@code gate_failed}, before anything is generated or judged.
 *
 * @param judge a judge of {@code judges:}, measured with its endpoint, model, template and rubric, one sample per
 *     request and no reference answer
 * @param set the labelled set's file, relative to the recipe
 * @param format the set's format: {@code llmbar} (LLMBar's dataset.json) or {@code pandalm} (testset-v1.json)
 * @param bothOrders judge each pair in both presentation orders (default true; false: output 1 first only)
 * @param parse how verdicts are read: {@code assay} (default), {@code llmbar-cot}, {@code llmbar-line}, {@code llmbar-swap}
 */
public record QualificationSection(String judge, String set, LabelledSet.Format format, Boolean bothOrders, ParseRule parse)
    implements java.io.Serializable {
  public QualificationSection {
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(format, "format");
    bothOrders = bothOrders == null || bothOrders;
    parse = parse == null ? ParseRule.ASSAY : parse;
  }
}
