package dev.assay.agreement;

import java.util.List;

/**
 * What identifies an item: the values of one or more key fields of a row (e.g. {@code question_id} and {@code
 * turn}). Two rows are about the same item when all parts are equal.
 *
 * @param parts the key field values in the order the fields were given; non-empty, no blank part
 */
public record ItemKey(List<String> parts) {
  public ItemKey {
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("an item key needs at least one part");
    }
  }

  /** A one-field key. */
  public static ItemKey of(String part) {
    return new ItemKey(List.of(part));
  }

  @Override
  public String toString() {
    return parts.size() == 1 ? "'" + parts.get(0) + "'" : parts.toString();
  }
}
