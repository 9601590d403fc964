package dev.assay.io;

/**
 * Bad input from the user: a file, line and field that are wrong, and why.
 *
 * <p>The CLI turns it into exit code 2 and prints {@link #getMessage()} without a stack trace. {@code line} is
 * 1-based; 0 means the problem is not tied to one line (an empty file, a missing file). {@code field} may be null.
 */
public final class InputException extends RuntimeException {
  private final String file;
  private final long line;
  private final String field;

  public InputException(String file, long line, String field, String problem) {
    super(format(file, line, field, problem));
    this.file = file;
    this.line = line;
    this.field = field;
  }

  public InputException(String file, long line, String field, String problem, Throwable cause) {
    super(format(file, line, field, problem), cause);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  private static String format(String file, long line, String field, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    if (field != null) {
      sb.append(": field '").append(field).append('\'');
    }
    return sb.append(": ").append(problem).toString();
  }

  public String file() {
    return file;
  }

  public long line() {
    return line;
  }

  public String field() {
    return field;
  }
}
