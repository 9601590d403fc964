package dev.assay.qualification.filters;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the gold audit found.
 *
 * @param set the labelled set, as {@code format:path}
 * @param items items in the set
 * @param decisiveGold items whose gold names a better output: the accuracy's denominator
 * @param tieGold items whose gold is a tie (reported apart, never right or wrong)
 * @param noGold items whose raters have no majority
 * @param orders {@code both} or {@code one}: the presentation orders each voter was replayed in
 * @param k consensus's k (voters that must agree with the primary)
 * @param c consensus's c (the smallest preference that counts as a vote)
 * @param replicates bootstrap replicates per interval
 * @param seed the bootstrap seed
 * @param notices each replay's notice: every verdict here is a published answer, not a live call
 * @param voters each voter's own verdict on every item: the unfiltered baselines
 * @param filters one row per filter and primary voter
 */
public record FilterAuditResult(
    String set,
    long items,
    long decisiveGold,
    long tieGold,
    long noGold,
    String orders,
    int k,
    double c,
    int replicates,
    long seed,
    List<String> notices,
    List<Baseline> voters,
    List<FilterRow> filters) {
  public FilterAuditResult {
    notices = List.copyOf(notices);
    voters = List.copyOf(voters);
    filters = List.copyOf(filters);
  }

  /**
   * One voter's own verdict (output 1 shown first) on all items, no filter.
   *
   * @param voter the voter's name
   * @param model its model id
   * @param correct decisive-gold items it got right (no verdict counts as wrong)
   * @param accuracy correct / decisive gold (null with none)
   * @param noVerdict items where its answer gave no verdict
   * @param tieGoldSaidTie tie-gold items on which it said tie
   */
  public record Baseline(String voter, String model, long correct, @JsonInclude(ALWAYS) Double accuracy, long noVerdict, long tieGoldSaidTie) {}

  /**
   * One filter with one voter as the primary (whose verdict picks the pair and is scored).
   *
   * @param filter the filter's label
   * @param primary the primary voter
   * @param input items the filter saw (all items, or what the filter it chains onto kept)
   * @param kept items it kept
   * @param rejected items it rejected
   * @param retention kept / input (null with no input)
   * @param keptDecisive kept items with decisive gold
   * @param keptCorrect of those, the primary's verdict right
   * @param rejectedDecisive rejected items with decisive gold
   * @param rejectedCorrect of those, the primary's verdict right
   * @param keptTieGold kept items whose gold is a tie
   * @param rejectedTieGold rejected items whose gold is a tie
   * @param accuracyInput the primary's accuracy on the input's decisive-gold items (null with none)
   * @param accuracyKept its accuracy on the kept ones (null with none)
   * @param accuracyRejected its accuracy on the rejected ones (null with none)
   * @param gainOverInput accuracy kept minus accuracy of the input, with its bootstrap interval over the input's items
   * @param gainOverUnfiltered accuracy kept minus the unfiltered accuracy, with its interval over all decisive items
   * @param rejectReasons consensus's reasons for the rejected items, by reason (empty for consistency)
   * @param flag null, or "removed N items with no measurable gain" when it removed items and the interval of its gain
   *     over the input does not lie above zero
   */
  public record FilterRow(
      String filter,
      String primary,
      long input,
      long kept,
      long rejected,
      @JsonInclude(ALWAYS) Double retention,
      long keptDecisive,
      long keptCorrect,
      long rejectedDecisive,
      long rejectedCorrect,
      long keptTieGold,
      long rejectedTieGold,
      @JsonInclude(ALWAYS) Double accuracyInput,
      @JsonInclude(ALWAYS) Double accuracyKept,
      @JsonInclude(ALWAYS) Double accuracyRejected,
      Gain gainOverInput,
      Gain gainOverUnfiltered,
      java.util.Map<String, Long> rejectReasons,
      String flag) {}

  /**
   * A gain in accuracy with its interval; null figures where nothing was kept (JSON has no NaN).
   *
   * @param estimate the gain on the data
   * @param lower the interval's lower bound
   * @param upper its upper bound
   * @param level its coverage
   */
  public record Gain(
      @JsonInclude(ALWAYS) Double estimate, @JsonInclude(ALWAYS) Double lower, @JsonInclude(ALWAYS) Double upper, double level) {}
}
