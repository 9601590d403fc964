package dev.assay.consensus;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A prompt whose pair the consensus filter did not keep, with the reason and the evidence; written to {@code
 * rejected/}. Disagreements between reward models are evidence about them, not garbage.
 *
 * <p>Reason codes, checked in this order (the first that applies is the reason; the evidence has the rest):
 *
 * <ol>
 *   <li>{@value #NO_PRIMARY_PAIR}: fewer than two candidates have a defined primary reward, or all of them tie; no
 *       votes are collected.
 *   <li>{@value #MARGIN_BELOW_M0}: the primary's margin is below {@code m0}.
 *   <li>{@value #SPLIT}: confident voters on both sides, and the chosen side does not win: either both sides reach
 *       {@code k}, or neither does.
 *   <li>{@value #AGAINST_PRIMARY}: at least {@code k} voters confidently prefer the primary's rejected response, and
 *       fewer than {@code k} its chosen one.
 *   <li>{@value #TOO_FEW_AGREE}: fewer than {@code k} voters confidently prefer either response, and the confident
 *       ones, if any, are all on one side; the others abstained (weak, no preference or missing).
 * </ol>
 *
 * @param promptId the prompt
 * @param reason the reason code
 * @param detail the reason in words, with the numbers
 * @param chosen the primary's highest-rewarded candidate; null for {@code no_primary_pair}
 * @param rejected the primary's lowest-rewarded candidate; null for {@code no_primary_pair}
 * @param primary the primary reward model
 * @param chosenReward the primary's reward of {@code chosen}; null without a pair
 * @param rejectedReward the primary's reward of {@code rejected}; null without a pair
 * @param margin {@code chosenReward - rejectedReward}; null without a pair
 * @param rankable candidates with a defined primary reward
 * @param votes every voter's stance on the pair, sorted by name; empty without a pair
 * @param k voters needed
 * @param m voters asked
 * @param c the probability a vote needed
 * @param m0 the margin the primary needed
 */
public record RejectedPair(
    String promptId,
    String reason,
    String detail,
    String chosen,
    String rejected,
    String primary,
    @JsonInclude(ALWAYS) Double chosenReward,
    @JsonInclude(ALWAYS) Double rejectedReward,
    @JsonInclude(ALWAYS) Double margin,
    int rankable,
    List<Vote> votes,
    int k,
    int m,
    double c,
    double m0) {
  public static final String NO_PRIMARY_PAIR = "no_primary_pair";
  public static final String MARGIN_BELOW_M0 = "margin_below_m0";
  public static final String SPLIT = "split";
  public static final String AGAINST_PRIMARY = "against_primary";
  public static final String TOO_FEW_AGREE = "too_few_agree";
  public static final Set<String> REASONS =
      Set.of(NO_PRIMARY_PAIR, MARGIN_BELOW_M0, SPLIT, AGAINST_PRIMARY, TOO_FEW_AGREE);

  public RejectedPair {
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(primary, "primary");
    if (!REASONS.contains(reason)) {
      throw new IllegalArgumentException("reason must be one of " + REASONS + ": " + reason);
    }
    detail = detail == null ? "" : detail;
    votes = List.copyOf(votes);
    boolean pair = chosen != null;
    if ((rejected != null) != pair || (margin != null) != pair || reason.equals(NO_PRIMARY_PAIR) == pair) {
      throw new IllegalArgumentException("chosen, rejected and margin are given exactly when there is a pair");
    }
  }
}
