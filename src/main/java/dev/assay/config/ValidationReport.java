package dev.assay.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code assay validate} found: every problem, or what a valid configuration contains.
 *
 * @param recipe the recipe that was validated, as given
 * @param problems every problem, configuration first (sorted by file and line), then input problems in file order;
 *     empty when valid
 * @param counts what was checked, in a fixed order: {@code files} (config files read), {@code endpoints},
 *     {@code judges}, and for a {@code prompts} input {@code prompts} and {@code prompts_with_reference}; only the
 *     entries that could be counted
 */
public record ValidationReport(Path recipe, List<ConfigProblem> problems, Map<String, Long> counts) {
  public ValidationReport {
    Objects.requireNonNull(recipe, "recipe");
    problems = List.copyOf(problems);
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  /** True when there is no problem. */
  public boolean ok() {
    return problems.isEmpty();
  }
}
