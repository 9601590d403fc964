package dev.assay.agreement;

import dev.assay.io.InputException;

/**
 * Where a rating was read: file, 1-based line and the field its label came from, so that a problem found later
 * (a label that is not a number at the interval level, say) still names the place to fix.
 *
 * @param file the file name as given
 * @param line 1-based line on which the row starts (for a JSON array, the line of the element's opening brace)
 * @param field the label field
 */
public record Origin(String file, long line, String field) {
  /** An {@link InputException} about this rating's label. */
  public InputException problem(String problem) {
    return new InputException(file, line, field, problem);
  }
}
