package dev.assay.qualification.filters;

import dev.assay.qualification.JudgedItem;
import java.util.List;
import java.util.Objects;

/**
 * One replayed voter's verdicts on every item of the labelled set, in the set's order.
 *
 * @param name the voter's name in the audit (e.g. {@code GPT-4}, {@code gpt-3.5})
 * @param model the model id its judgments carry (a replay's {@code replay:<evaluator>/<strategy>})
 * @param items one judged item per labelled item, in the set's order
 */
public record VoterVerdicts(String name, String model, List<JudgedItem> items) {
  public VoterVerdicts {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    items = List.copyOf(items);
  }
}
