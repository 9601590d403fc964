package dev.assay.consistency;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-prompt C(x), every figure worked out by hand from the pairs. */
class PromptConsistencyTest {
  static Map<String, Double> rewards(Object... idThenReward) {
    Map<String, Double> out = new HashMap<>();
    for (int i = 0; i < idThenReward.length; i += 2) {
      Object v = idThenReward[i + 1];
      out.put((String) idThenReward[i], v == null ? null : ((Number) v).doubleValue());
    }
    return out;
  }

  @Test
  void sameOrderIsOneAndReversedIsZero() {
    PromptConsistency same =
        PromptConsistency.of("p", rewards("a", 5, "b", 4, "c", 3, "d", 1), rewards("a", 4.5, "b", 3, "c", 2, "d", 1));
    assertThat(same.tauB(), is(1.0));
    assertThat(same.consistency(), is(1.0));
    assertThat(same.concordant(), is(6L));
    PromptConsistency reversed =
        PromptConsistency.of("p", rewards("a", 5, "b", 4, "c", 3), rewards("a", 1, "b", 2, "c", 3));
    assertThat(reversed.tauB(), is(-1.0));
    assertThat(reversed.consistency(), is(0.0));
    assertThat(reversed.discordant(), is(3L));
  }

  @Test
  void tiesShrinkTheDenominatorRatherThanCountingAsDiscordant() {
    // Pairs: ab tied now; ac, ad, bd, cd concordant; bc tied before. tau_b = 4 / sqrt((6 - 1)(6 - 1)) = 0.8.
    PromptConsistency p =
        PromptConsistency.of("p", rewards("a", 5, "b", 5, "c", 3, "d", 1), rewards("a", 4, "b", 3, "c", 3, "d", 1));
    assertThat(p.tauB(), closeTo(0.8, 1e-15));
    assertThat(p.consistency(), closeTo(0.9, 1e-15));
    assertThat(p.concordant(), is(4L));
    assertThat(p.discordant(), is(0L));
    assertThat(p.tiedCurrent(), is(1L));
    assertThat(p.tiedPrevious(), is(1L));
    assertThat(p.undefinedReason(), nullValue());
    // Ranks: 1 = best, ties share the mean position.
    assertThat(p.candidates(), contains(
        new RankedCandidate("a", 5, 4, 1.5, 1),
        new RankedCandidate("b", 5, 3, 1.5, 2.5),
        new RankedCandidate("c", 3, 3, 3, 2.5),
        new RankedCandidate("d", 1, 1, 4, 4)));
  }

  @Test
  void partialDisagreement() {
    // By current order a, b, c, d the previous rewards read 3, 4, 1, 2: ab and cd discordant, the other 4
    // concordant. tau = (4 - 2) / 6 = 1/3, C(x) = 2/3.
    PromptConsistency p =
        PromptConsistency.of("p", rewards("a", 4, "b", 3, "c", 2, "d", 1), rewards("a", 3, "b", 4, "c", 1, "d", 2));
    assertThat(p.tauB(), closeTo(1.0 / 3, 1e-15));
    assertThat(p.consistency(), closeTo(2.0 / 3, 1e-15));
    // Three inversions of four: tau 0, C(x) exactly one half.
    PromptConsistency half =
        PromptConsistency.of("p", rewards("a", 4, "b", 3, "c", 2, "d", 1), rewards("a", 2, "b", 4, "c", 1, "d", 3));
    assertThat(half.tauB(), is(0.0));
    assertThat(half.consistency(), is(0.5));
  }

  @Test
  void allTiedOnOneSideIsUndefinedNotOneHalf() {
    PromptConsistency p = PromptConsistency.of("p", rewards("a", 1, "b", 2, "c", 3), rewards("a", 3, "b", 3, "c", 3));
    assertThat(p.defined(), is(false));
    assertThat(p.tauB(), nullValue());
    assertThat(p.consistency(), nullValue());
    assertThat(p.undefinedReason(), is(PromptConsistency.ALL_TIED_PREVIOUS));
    assertThat(p.tiedPrevious(), is(3L));
    assertThat(PromptConsistency.of("p", rewards("a", 2, "b", 2), rewards("a", 1, "b", 3)).undefinedReason(),
        is(PromptConsistency.ALL_TIED_CURRENT));
    assertThat(PromptConsistency.of("p", rewards("a", 2, "b", 2), rewards("a", 3, "b", 3)).undefinedReason(),
        is(PromptConsistency.ALL_TIED_BOTH));
  }

  @Test
  void onlyCandidatesRewardedOnBothSidesAreRanked() {
    // b has no previous reward (NaN), c none at all, d is only on the previous side: one candidate left.
    PromptConsistency p =
        PromptConsistency.of("p", rewards("a", 1, "b", 2, "c", null), rewards("a", 3, "b", Double.NaN, "d", 4));
    assertThat(p.undefinedReason(), is(PromptConsistency.TOO_FEW_CANDIDATES));
    assertThat(p.candidates().size(), is(1));
    assertThat(p.unranked(), contains("b", "c", "d"));
    PromptConsistency none = PromptConsistency.of("p", rewards("a", 1), Map.of());
    assertThat(none.undefinedReason(), is(PromptConsistency.TOO_FEW_CANDIDATES));
    assertThat(none.candidates(), is(empty()));
  }

  @Test
  void negativeZeroTiesWithZeroAndInfiniteRewardsStillRank() {
    PromptConsistency p =
        PromptConsistency.of("p", rewards("a", 0.0, "b", -0.0, "c", -1), rewards("a", 2, "b", 1, "c", 0));
    assertThat(p.tiedCurrent(), is(1L));
    PromptConsistency inf = PromptConsistency.of("p",
        rewards("a", Double.NEGATIVE_INFINITY, "b", -3.5, "c", Double.POSITIVE_INFINITY), rewards("a", 1, "b", 2, "c", 3));
    assertThat(inf.tauB(), is(1.0));
  }

  @Test
  void theRecordRefusesInconsistentValues() {
    assertThrows(IllegalArgumentException.class,
        () -> new PromptConsistency("p", List.of(), List.of(), 0.5, 0.5, 0, 0, 0, 0, null));
    assertThrows(IllegalArgumentException.class,
        () -> new PromptConsistency("p", List.of(), List.of(), null, null, 0, 0, 0, 0, null));
    assertThrows(IllegalArgumentException.class,
        () -> new PromptConsistency("p", List.of(), List.of(), null, null, 0, 0, 0, 0, "whatever"));
    assertThat(new PromptConsistency("p", List.of(), List.of(), 0.5, 0.75, 0, 0, 0, 0, null).consistency(),
        equalTo(0.75));
  }
}
