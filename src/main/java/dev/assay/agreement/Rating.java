package dev.assay.agreement;

import java.util.Objects;

/**
 * One vote in long format: rater {@code rater} gave item {@code item} the label {@code label}.
 *
 * @param item the item rated
 * @param rater who rated it (a person, a judge model, a judge run in one order)
 * @param label the label given
 * @param origin where the row was read, for error messages
 */
public record Rating(ItemKey item, String rater, Label label, Origin origin) {
  public Rating {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(rater, "rater");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(origin, "origin");
  }
}
