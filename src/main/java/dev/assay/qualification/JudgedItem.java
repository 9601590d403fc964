package dev.assay.qualification;

import java.util.Objects;

/**
 * One labelled item with the judge's verdict in each presentation order.
 *
 * @param item the labelled item
 * @param first the verdict with output 1 shown first (for absolute judging under the Assay rule: the verdict from the
 *     two scores, which has no order)
 * @param second the verdict with output 2 shown first, or null when the item was judged in one order only
 */
public record JudgedItem(LabelledItem item, Winner first, Winner second) {
  public JudgedItem {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(first, "first");
  }
}
