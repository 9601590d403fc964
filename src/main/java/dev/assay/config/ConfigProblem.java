package dev.assay.config;

import java.util.Objects;

/**
 * One thing wrong with a recipe, a config file, an override or an input file, and where it was written.
 *
 * <p>Messages never contain the value of an environment variable: a problem in an interpolated value shows the
 * {@code ${...}} text the user wrote instead.
 *
 * @param file the file as the user would open it, or {@code --set} for a command-line override
 * @param line 1-based line; 0 when the problem is not tied to a line (a missing file, an override)
 * @param fieldPath dotted path of the field ({@code judges.0.n}, the form {@code --set} accepts); null when the
 *     problem concerns the whole file (a YAML syntax error)
 * @param message what is wrong, in one line
 */
public record ConfigProblem(String file, long line, String fieldPath, String message) {
  public ConfigProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0: " + line);
    }
    fieldPath = fieldPath == null || fieldPath.isEmpty() ? null : fieldPath;
  }

  /** {@code file:line: field: message}, leaving out the line when it is 0 and the field when it is null. */
  public String format() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    if (fieldPath != null) {
      sb.append(": ").append(fieldPath);
    }
    return sb.append(": ").append(message).toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
