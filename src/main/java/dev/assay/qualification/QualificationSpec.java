package dev.assay.qualification;

import java.util.Objects;

/**
 * What a qualification measures a judge on, and the bar it must clear: the declarative half of {@link
 * Qualification#run}, as a recipe section or the {@code qualify} command states it. The judge itself (endpoint,
 * template, rubric, kind) comes from the caller as a {@link dev.assay.judging.JudgeDefinition}.
 *
 * @param set the labelled set, {@code llmbar:PATH} or {@code pandalm:PATH} ({@link LabelledSet#read})
 * @param bothOrders judge every pair in both presentation orders (false: output 1 first only, for sets published in
 *     one order such as PandaLM's); absolute judging shows one output at a time and ignores it
 * @param parseRule how verdicts are read from the answers
 * @param minAccuracy the gate: lowest acceptable pooled accuracy on decisive gold items, in [0, 1], or null for none
 * @param seed the seed that request seeds derive from
 */
public record QualificationSpec(String set, boolean bothOrders, ParseRule parseRule, Double minAccuracy, long seed) {
  public QualificationSpec {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(parseRule, "parseRule");
    if (minAccuracy != null && !(minAccuracy >= 0 && minAccuracy <= 1)) {
      throw new IllegalArgumentException("min accuracy must be in [0, 1]: " + minAccuracy);
    }
  }
}
