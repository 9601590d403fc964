package dev.assay.stats;

import java.util.List;
import java.util.Objects;

/**
 * Percent (raw) agreement: the share of items on which raters gave the same label, {@code agreeing / total}.
 *
 * <p>It does not correct for chance, so report it next to a kappa, never instead of one: two judges that both say
 * "tie" 90% of the time agree 81% of the time by chance alone.
 *
 * <p>Failure modes: null lists, lists of different lengths, empty lists and null labels in the two-rater form throw
 * {@link IllegalArgumentException} (null list: {@link NullPointerException}). {@link #ofCounts} accepts total 0 and
 * gives a NaN ratio.
 */
public final class PercentAgreement {
  private PercentAgreement() {}

  /** Items on which {@code a.get(i).equals(b.get(i))}, over all items. */
  public static <T> AgreementResult of(List<T> a, List<T> b) {
    Checks.pairOfLists(a, b, "percent agreement");
    long agreeing = 0;
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).equals(b.get(i))) {
        agreeing++;
      }
    }
    return new AgreementResult(agreeing, a.size());
  }

  /** Items with equal integer labels, over all items. */
  public static AgreementResult of(int[] a, int[] b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Checks.sameLength(a.length, b.length, "percent agreement");
    Checks.nonEmpty(a.length, "percent agreement");
    long agreeing = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        agreeing++;
      }
    }
    return new AgreementResult(agreeing, a.length);
  }

  /** A result from counts already made elsewhere (e.g. a published table); total 0 is allowed. */
  public static AgreementResult ofCounts(long agreeing, long total) {
    return new AgreementResult(agreeing, total);
  }

  /**
   * Agreement over all pairs of ratings within each unit, pooled over units: a unit with m non-null ratings
   * contributes {@code m(m-1)/2} comparisons. This is how "human vs human" agreement is counted when items have a
   * varying number of votes (MT-Bench, Zheng et al. 2023). Null ratings are missing and pair with nothing; units
   * with fewer than two ratings contribute nothing.
   *
   * @throws IllegalArgumentException if no unit has two ratings
   */
  public static <T> AgreementResult pairwise(List<? extends List<T>> units) {
    Objects.requireNonNull(units, "units");
    long agreeing = 0;
    long total = 0;
    for (List<T> unit : units) {
      // Count equal pairs per distinct label: sum over labels of c(c-1)/2. A small map per unit keeps this O(m).
      java.util.Map<T, Long> counts = new java.util.HashMap<>();
      long m = 0;
      for (T label : unit) {
        if (label != null) {
          counts.merge(label, 1L, Long::sum);
          m++;
        }
      }
      total += m * (m - 1) / 2;
      for (long c : counts.values()) {
        agreeing += c * (c - 1) / 2;
      }
    }
    if (total == 0) {
      throw new IllegalArgumentException("pairwise agreement: no unit has two ratings, nothing to measure");
    }
    return new AgreementResult(agreeing, total);
  }
}
