package dev.assay.consensus;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.Failure;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link FilterByConsensus#decide}, prompt by prompt, with primary "judge", voters "judge", "pairwise", "implicit" (all that emit preferences), k = 2,
 * c = 0.6, m0 = 0.5. Every prompt below is worked out by hand; P(x) is the probability the voter gives the primary's
 * chosen candidate.
 *
 * <pre>
 *   q1  a 4.5 b 3 c 2: pair (a, c), margin 2.5; judge 0.9 agree, pairwise 0.75 agree, implicit 0.55 weak: kept
 *   q2  a 4, b undefined: no_primary_pair (1 rankable)
 *   q3  a 3, b 3: no_primary_pair (all tie)
 *   q4  a 3.2, b 3.0: margin 0.2 < 0.5, although every voter agrees: margin_below_m0
 *   q5  judge 0.8 agree, pairwise 0.5 no preference, implicit missing: too_few_agree
 *   q6  judge 0.7 agree, pairwise 0.2 against, implicit 0.45 weak: split (neither side reaches 2)
 *   q7  judge 0.65 agree, pairwise 0.1 against, implicit 0.3 against: against_primary
 *   q8  a 4, b 4, c 1, d 1: ties go to the smaller id, pair (a, c); two agree: kept
 *   q9  chosen z sorts after rejected a, so the preference is stated for a: P(a) 0.2, 0.3 means P(z) 0.8, 0.7: kept
 *   q10 preferences only, no rewards: no_primary_pair (0 rankable)
 *   q11 two judge rewards for one candidate: failure DuplicateReward
 *   q12 two pairwise preferences for one pair: failure DuplicatePreference
 * </pre>
 */
class FilterByConsensusTest {
  private static final ConsensusSpec SPEC = new ConsensusSpec(2, 0.6, 0.5, "judge", null);
  private static final List<CandidateReward> REWARDS = new ArrayList<>();
  private static final List<PairPreference> PREFERENCES = new ArrayList<>();

  private static void rewards(String prompt, Object... candidateThenReward) {
    for (int i = 0; i < candidateThenReward.length; i += 2) {
      double r = ((Number) candidateThenReward[i + 1]).doubleValue();
      REWARDS.add(new CandidateReward("judge", prompt, (String) candidateThenReward[i], r, 3, Double.isNaN(r) ? 0 : 3, 0));
    }
  }

  /** A preference for (x, y), x before y by id, with P(x better). */
  private static void prefer(String model, String prompt, String x, String y, double px) {
    PREFERENCES.add(new PairPreference(model, prompt, x, y, px, 2, 0));
  }

  static {
    rewards("q1", "a", 4.5, "b", 3, "c", 2);
    prefer("judge", "q1", "a", "c", 0.9);
    prefer("pairwise", "q1", "a", "c", 0.75);
    prefer("implicit", "q1", "a", "c", 0.55);
    prefer("pairwise", "q1", "a", "b", 0.1); // another pair: not a vote on (a, c)
    // A non-primary reward model's rewards are ignored.
    REWARDS.add(new CandidateReward("implicit", "q1", "b", 99, 1, 1, 0));

    rewards("q2", "a", 4, "b", Double.NaN);
    rewards("q3", "a", 3, "b", 3);

    rewards("q4", "a", 3.2, "b", 3.0);
    prefer("judge", "q4", "a", "b", 0.9);
    prefer("pairwise", "q4", "a", "b", 0.9);
    prefer("implicit", "q4", "a", "b", 0.9);

    rewards("q5", "a", 5, "b", 1);
    prefer("judge", "q5", "a", "b", 0.8);
    prefer("pairwise", "q5", "a", "b", 0.5);

    rewards("q6", "a", 5, "b", 1);
    prefer("judge", "q6", "a", "b", 0.7);
    prefer("pairwise", "q6", "a", "b", 0.2);
    prefer("implicit", "q6", "a", "b", 0.45);

    rewards("q7", "a", 5, "b", 1);
    prefer("judge", "q7", "a", "b", 0.65);
    prefer("pairwise", "q7", "a", "b", 0.1);
    prefer("implicit", "q7", "a", "b", 0.3);

    rewards("q8", "a", 4, "b", 4, "c", 1, "d", 1);
    prefer("judge", "q8", "a", "c", 0.6);
    prefer("pairwise", "q8", "a", "c", 1.0);

    rewards("q9", "a", 1, "z", 3);
    prefer("judge", "q9", "a", "z", 0.2);
    prefer("pairwise", "q9", "a", "z", 0.3);

    prefer("judge", "q10", "a", "b", 0.9);

    rewards("q11", "a", 5, "b", 1, "a", 4);

    rewards("q12", "a", 5, "b", 1);
    prefer("pairwise", "q12", "a", "b", 0.9);
    prefer("pairwise", "q12", "a", "b", 0.8);
  }

  /** Every prompt's decision, as the curation's grouping by prompt feeds the function. */
  private record Decisions(List<ConsensusPair> kept, List<RejectedPair> rejected, List<Failure> failures) {
    long in() {
      return kept.size() + rejected.size() + failures.size();
    }

    long rejectedFor(String reason) {
      return rejected.stream().filter(r -> r.reason().equals(reason)).count();
    }
  }

  /**
   * Groups the fixtures by prompt and decides each prompt that has a reward or a preference: the primary's rewards and
   * the voters' preferences. Voters: the spec's models, or every model that emitted a preference (as a run passes every
   * configured reward model).
   */
  private static Decisions filter(ConsensusSpec spec) {
    List<String> voters = spec.models() != null
        ? new ArrayList<>(new TreeSet<>(spec.models()))
        : new ArrayList<>(new TreeSet<>(PREFERENCES.stream().map(PairPreference::rewardModel).toList()));
    TreeSet<String> prompts = new TreeSet<>();
    REWARDS.forEach(r -> prompts.add(r.promptId()));
    PREFERENCES.forEach(x -> prompts.add(x.promptId()));
    FilterByConsensus filter = FilterByConsensus.of(spec);
    Decisions out = new Decisions(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (String prompt : prompts) {
      List<CandidateReward> primary = REWARDS.stream().filter(r -> r.promptId().equals(prompt) && r.rewardModel().equals(spec.primary())).toList();
      List<PairPreference> prefs = PREFERENCES.stream().filter(x -> x.promptId().equals(prompt) && voters.contains(x.rewardModel())).toList();
      // Any order in, the same decision out: the function sorts what it is given.
      List<PairPreference> reversed = new ArrayList<>(prefs);
      Collections.reverse(reversed);
      FilterByConsensus.Decided d = filter.decide(prompt, primary, prefs, voters);
      assertThat(filter.decide(prompt, primary, reversed, voters), equalTo(d));
      if (d.kept() != null) {
        out.kept().add(d.kept());
      } else if (d.rejected() != null) {
        out.rejected().add(d.rejected());
      } else {
        out.failures().add(d.failure());
      }
    }
    return out;
  }

  private static <T> void check(Iterable<T> records, Function<Iterable<T>, Void> assertions) {
    assertions.apply(records);
  }

  @Test
  void everyPromptIsKeptRejectedForOneReasonOrFailed() {
    Decisions out = filter(SPEC);
    check(out.kept(), pairs -> {
      Map<String, ConsensusPair> byPrompt = new HashMap<>();
      pairs.forEach(x -> byPrompt.put(x.promptId(), x));
      assertThat(byPrompt.keySet(), equalTo(Set.of("q1", "q8", "q9")));
      ConsensusPair q1 = byPrompt.get("q1");
      assertThat(q1.chosen(), is("a"));
      assertThat(q1.rejected(), is("c"));
      assertThat(q1.margin(), is(2.5));
      assertThat(q1.chosenReward(), is(4.5));
      assertThat(q1.rejectedReward(), is(2.0));
      assertThat(q1.k(), is(2));
      assertThat(q1.m(), is(3));
      assertThat(q1.votes(), contains(
          new Vote("implicit", Vote.WEAK, 0.55, 2, 0),
          new Vote("judge", Vote.AGREE, 0.9, 2, 0),
          new Vote("pairwise", Vote.AGREE, 0.75, 2, 0)));
      assertThat(q1.agreed(), contains("judge", "pairwise"));
      assertThat(q1.disagreed(), is(empty()));
      assertThat(q1.abstained(), contains("implicit"));
      ConsensusPair q8 = byPrompt.get("q8");
      assertThat(q8.chosen() + " " + q8.rejected(), is("a c"));
      assertThat(q8.abstained(), contains("implicit"));
      ConsensusPair q9 = byPrompt.get("q9");
      assertThat(q9.chosen() + " " + q9.rejected(), is("z a"));
      assertThat(q9.votes().get(1).rewardModel(), is("judge"));
      assertThat(q9.votes().get(1).probabilityChosen(), closeTo(0.8, 1e-12));
      assertThat(q9.votes().get(2).probabilityChosen(), closeTo(0.7, 1e-12));
      assertThat(q9.votes().get(0).rewardModel(), is("implicit"));
      assertThat(q9.votes().get(0).stance(), is(Vote.MISSING));
      assertThat(q9.agreed(), contains("judge", "pairwise"));
      return null;
    });
    check(out.rejected(), rs -> {
      Map<String, RejectedPair> byPrompt = new HashMap<>();
      rs.forEach(x -> byPrompt.put(x.promptId(), x));
      Map<String, String> reasons = new HashMap<>();
      byPrompt.forEach((k, v) -> reasons.put(k, v.reason()));
      assertThat(reasons, equalTo(Map.of(
          "q2", "no_primary_pair", "q3", "no_primary_pair", "q4", "margin_below_m0", "q5", "too_few_agree",
          "q6", "split", "q7", "against_primary", "q10", "no_primary_pair")));
      RejectedPair q2 = byPrompt.get("q2");
      assertThat(q2.rankable(), is(1));
      assertThat(q2.chosen(), nullValue());
      assertThat(q2.margin(), nullValue());
      assertThat(q2.votes(), is(empty()));
      assertThat(q2.detail(), is("1 candidate(s) with a defined judge reward; a pair needs 2"));
      assertThat(byPrompt.get("q3").detail(), is("all 2 candidates tie at judge reward 3.0"));
      assertThat(byPrompt.get("q10").rankable(), is(0));
      RejectedPair q4 = byPrompt.get("q4");
      assertThat(q4.margin(), closeTo(0.2, 1e-12));
      assertThat(q4.votes().stream().filter(Vote::agrees).count(), is(3L));
      assertThat(q4.m0(), is(0.5));
      assertThat(byPrompt.get("q5").votes(), contains(
          new Vote("implicit", Vote.MISSING, null, 0, 0),
          new Vote("judge", Vote.AGREE, 0.8, 2, 0),
          new Vote("pairwise", Vote.NO_PREFERENCE, 0.5, 2, 0)));
      RejectedPair q6 = byPrompt.get("q6");
      assertThat(q6.votes().get(1).stance(), is(Vote.AGREE));
      assertThat(q6.votes().get(2).stance(), is(Vote.AGAINST));
      assertThat(q6.votes().get(0).stance(), is(Vote.WEAK));
      assertThat(q6.detail(), is("1 of 3 voters prefer a and 1 prefer b with p >= 0.6000; neither reaches k = 2"));
      assertThat(byPrompt.get("q7").detail(),
          is("2 of 3 voters prefer the primary's rejected b with p >= 0.6000; 1 prefer its chosen a; k = 2"));
      return null;
    });
    check(out.failures(), fs -> {
      Map<String, Failure> byPrompt = new HashMap<>();
      fs.forEach(f -> byPrompt.put(f.inputId(), f));
      assertThat(byPrompt.keySet(), equalTo(Set.of("q11", "q12")));
      assertThat(byPrompt.get("q11").errorClass(), is("DuplicateReward"));
      assertThat(byPrompt.get("q11").message(), is("two judge rewards for candidate a"));
      assertThat(byPrompt.get("q12").errorClass(), is("DuplicatePreference"));
      assertThat(byPrompt.get("q12").stage(), is("consensus"));
      return null;
    });
    assertThat(out.in(), is(12L));
    assertThat(out.kept().size(), is(3));
    assertThat(out.rejected().size(), is(7));
    assertThat(out.failures().size(), is(2));
    assertThat(out.rejectedFor("no_primary_pair"), is(3L));
    assertThat(out.rejectedFor("split"), is(1L));
  }

  @Test
  void listedVotersFixMAndASilentOneIsMissing() {
    // Voters pairwise, implicit and verifier (which never voted): m = 3 everywhere. The primary does not vote.
    Decisions out = filter(new ConsensusSpec(2, 0.6, 0.5, "judge", List.of("verifier", "pairwise", "implicit")));
    check(out.kept(), pairs -> {
      List<String> ids = new ArrayList<>();
      pairs.forEach(x -> ids.add(x.promptId()));
      // q1 has pairwise alone agreeing now; q8 and q9 likewise: nothing reaches k = 2.
      assertThat(ids, is(empty()));
      return null;
    });
    check(out.rejected(), rs -> {
      for (RejectedPair r : rs) {
        assertThat(r.m(), is(3));
        if (r.promptId().equals("q1")) {
          assertThat(r.reason(), is("too_few_agree"));
          assertThat(r.votes(), contains(
              new Vote("implicit", Vote.WEAK, 0.55, 2, 0),
              new Vote("pairwise", Vote.AGREE, 0.75, 2, 0),
              new Vote("verifier", Vote.MISSING, null, 0, 0)));
        }
        if (r.promptId().equals("q7")) {
          assertThat(r.reason(), is("against_primary"));
        }
      }
      return null;
    });
  }

  @Test
  void kOfOneKeepsALoneVoteButCallsBothSidesReachingKASplit() {
    ConsensusSpec one = new ConsensusSpec(1, 0.6, 0.0, "judge", null);
    List<String> voters = List.of("implicit", "judge", "pairwise");
    List<CandidateReward> rewards = List.of(new CandidateReward("judge", "q", "a", 5, 1, 1, 0),
        new CandidateReward("judge", "q", "b", 1, 1, 1, 0));
    ConsensusDecision split = ConsensusDecision.decide("q", rewards,
        List.of(new PairPreference("judge", "q", "a", "b", 0.9, 1, 0),
            new PairPreference("pairwise", "q", "a", "b", 0.3, 2, 1)), voters, one);
    assertThat(split.rejected().reason(), is(RejectedPair.SPLIT));
    assertThat(split.rejected().detail(),
        is("1 of 3 voters prefer a and 1 prefer b with p >= 0.6000; both reach k = 1"));
    ConsensusDecision kept = ConsensusDecision.decide("q", rewards,
        List.of(new PairPreference("judge", "q", "a", "b", 0.9, 1, 0),
            new PairPreference("pairwise", "q", "a", "b", 0.55, 2, 1)), voters, one);
    assertThat(kept.kept().agreed(), contains("judge"));
    assertThat(kept.kept().votes().get(2), equalTo(new Vote("pairwise", Vote.WEAK, 0.55, 2, 1)));
    // A vote exactly at c counts.
    ConsensusDecision atC = ConsensusDecision.decide("q", rewards,
        List.of(new PairPreference("implicit", "q", "a", "b", 0.6, 1, 0)), voters, one);
    assertThat(atC.kept().agreed(), contains("implicit"));
  }

  @Test
  void marginExactlyAtM0IsKept() {
    ConsensusSpec spec = new ConsensusSpec(1, 0.5, 2.0, "judge", List.of("judge"));
    List<CandidateReward> rewards = List.of(new CandidateReward("judge", "q", "a", 3, 1, 1, 0),
        new CandidateReward("judge", "q", "b", 1, 1, 1, 0));
    ConsensusDecision d = ConsensusDecision.decide("q", rewards,
        List.of(new PairPreference("judge", "q", "a", "b", 0.51, 1, 0)), List.of("judge"), spec);
    assertThat(d.kept().margin(), is(2.0));
    assertThat(d.rejected(), nullValue());
  }

  @Test
  void specDefaultsAndChecks() {
    ConsensusSpec s = new ConsensusSpec(null, null, null, "judge", null);
    assertThat(s.k(), is(2));
    assertThat(s.c(), is(0.6));
    assertThat(s.m0(), is(0.0));
    assertThat(s.models(), nullValue());
    assertThrows(IllegalArgumentException.class, () -> new ConsensusSpec(0, null, null, "judge", null));
    assertThrows(IllegalArgumentException.class, () -> new ConsensusSpec(null, 0.4, null, "judge", null));
    assertThrows(IllegalArgumentException.class, () -> new ConsensusSpec(null, null, -1.0, "judge", null));
    assertThrows(IllegalArgumentException.class, () -> new ConsensusSpec(3, null, null, "judge", List.of("a", "b")));
    assertThrows(IllegalArgumentException.class, () -> new ConsensusSpec(1, null, null, "judge", List.of("a", "a")));
    assertThrows(IllegalArgumentException.class, () -> new ConsensusSpec(1, null, null, "judge", List.of()));
    assertThrows(NullPointerException.class, () -> new ConsensusSpec(1, null, null, null, null));
  }
}
