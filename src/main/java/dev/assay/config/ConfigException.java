package dev.assay.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every problem found (not only the first).
 *
 * <p>The message is a count followed by one {@link ConfigProblem#format()} line per problem, so the CLI can print it
 * as it is (exit code 2) and a user can fix everything in one pass.
 */
public final class ConfigException extends RuntimeException {
  private final List<ConfigProblem> problems;

  /** @throws IllegalArgumentException when {@code problems} is empty: an exception must say what is wrong */
  public ConfigException(List<ConfigProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  private static String message(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    String header = problems.size() == 1 ? "1 configuration problem:\n" : problems.size() + " configuration problems:\n";
    return header + problems.stream().map(ConfigProblem::format).collect(Collectors.joining("\n"));
  }

  /** Every problem, in file and line order; unmodifiable, never empty. */
  public List<ConfigProblem> problems() {
    return problems;
  }
}
