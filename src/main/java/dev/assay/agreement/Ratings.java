package dev.assay.agreement;

import dev.assay.io.InputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * All votes of one ratings file, as read: a rater may appear twice on an item here. Repeated votes are handled when
 * the report is computed ({@link AgreementOptions#duplicates()}), after the rater filter, so that a repeat by a rater
 * who is left out does not stop the run.
 *
 * @param source the file read, for messages and reports
 * @param ratings the votes in file order
 * @param where the row filter the file was read with ({@link RowFilter#ALL} for every row)
 * @param rowsLeftOut rows of the file that {@code where} left out
 * @param labels the label rules the file was read with ({@link LabelMap#NONE} for labels as they are)
 * @param labelsMapped votes whose label a rule of {@code labels} gave
 */
public record Ratings(
    String source, List<Rating> ratings, RowFilter where, long rowsLeftOut, LabelMap labels, long labelsMapped) {
  /** What to do when a rater rates the same item twice. */
  public enum Duplicates {
    /** Fail, naming both lines: a repeated vote usually means a join went wrong, and would count twice. */
    ERROR,
    /** Keep the later vote (a corrected re-rating appended to the file), and count how many were replaced. */
    KEEP_LAST
  }

  public Ratings {
    Objects.requireNonNull(source, "source");
    ratings = List.copyOf(ratings);
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(labels, "labels");
    if (rowsLeftOut < 0 || labelsMapped < 0) {
      throw new IllegalArgumentException("counts must be >= 0: " + rowsLeftOut + ", " + labelsMapped);
    }
  }

  /**
   * The ratings of {@code votes}, every row of the file read.
   *
   * @throws InputException for a file with no votes
   */
  public static Ratings of(String source, List<Rating> votes) {
    return of(source, votes, RowFilter.ALL, 0, LabelMap.NONE, 0);
  }

  /**
   * The ratings of {@code votes}, read from the rows {@code where} kept, {@code labelsMapped} of their labels given
   * by {@code labels}.
   *
   * @throws InputException for a file with no votes, or with none in the rows {@code where} kept
   */
  public static Ratings of(
      String source, List<Rating> votes, RowFilter where, long rowsLeftOut, LabelMap labels, long labelsMapped) {
    if (votes.isEmpty()) {
      throw rowsLeftOut > 0
          ? where.nothingKept(source, rowsLeftOut)
          : new InputException(source, 0, null, "no ratings");
    }
    return new Ratings(source, votes, where, rowsLeftOut, labels, labelsMapped);
  }

  /**
   * Votes with at most one per (item, rater), and how many were replaced.
   *
   * @param votes in file order; a replaced vote takes the place of the first one
   * @param replaced votes replaced by a later vote of the same rater on the same item (0 with {@link
   *     Duplicates#ERROR})
   */
  record Unique(List<Rating> votes, long replaced) {}

  /**
   * {@code votes} with repeated (item, rater) pairs handled as {@code duplicates} says.
   *
   * @throws InputException (with {@link Duplicates#ERROR}) for a rater who rated an item twice: the message names
   *     the item, the rater and both lines
   */
  static Unique unique(List<Rating> votes, Duplicates duplicates) {
    Objects.requireNonNull(duplicates, "duplicates");
    record Key(ItemKey item, String rater) {}
    Map<Key, Integer> at = new HashMap<>();
    List<Rating> kept = new ArrayList<>(votes.size());
    long replaced = 0;
    for (Rating vote : votes) {
      Integer earlier = at.putIfAbsent(new Key(vote.item(), vote.rater()), kept.size());
      if (earlier == null) {
        kept.add(vote);
        continue;
      }
      if (duplicates == Duplicates.ERROR) {
        Origin first = kept.get(earlier).origin();
        throw new InputException(
            vote.origin().file(),
            vote.origin().line(),
            null,
            "rater '" + vote.rater() + "' rated item " + vote.item() + " twice, on lines " + first.line() + " and "
                + vote.origin().line() + " (keeping the last vote is an option)");
      }
      kept.set(earlier, vote);
      replaced++;
    }
    return new Unique(kept, replaced);
  }

  /** Number of votes. */
  public int size() {
    return ratings.size();
  }
}
