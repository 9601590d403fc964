package dev.assay.agreement;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What leaving out a label removes.
 *
 * <ul>
 *   <li>{@link #VOTE} (the default): only the votes with that label, as if those raters had not rated the item.
 *       The item stays with its other votes; every pair that involved a removed vote is gone. This is MT-Bench's
 *       "agreement without ties": a pair counts only when neither vote is a tie.
 *   <li>{@link #ITEM}: every vote on an item that has at least one vote with that label, so all statistics are
 *       computed over the items nobody gave that label.
 * </ul>
 */
public enum ExcludeScope {
  VOTE,
  ITEM;

  /** The lower-case name used on the command line and in JSON. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scope named {@code name}, case-insensitively.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static ExcludeScope parse(String name) {
    for (ExcludeScope scope : values()) {
      if (scope.id().equalsIgnoreCase(name.strip())) {
        return scope;
      }
    }
    throw new IllegalArgumentException("unknown exclude scope '" + name + "' (expected vote or item)");
  }
}
