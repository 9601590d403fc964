package dev.assay.consistency;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.io.Failure;
import dev.assay.rewards.CandidateReward;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MeasureConsistency#measure}, prompt by prompt, on hand-made rewards. Current model "now", previous "before".
 *
 * <pre>
 *   p1  same order                      C = 1
 *   p2  ties on both sides              tau 0.8, C = 0.9
 *   p3  two of six pairs swapped        tau 1/3, C = 2/3
 *   p4  three of six swapped            tau 0,   C = 0.5 (exactly)
 *   p5  reversed                        C = 0
 *   p6  previous all tied               undefined: all_tied_previous
 *   p7  no previous rewards             undefined: too_few_candidates
 *   p8  previous reward undefined (NaN) for one of two: too_few_candidates
 *   p9  two current rewards for one candidate: failure DuplicateReward
 *   p10 previous side mixes two reward models: failure MixedRewardModels
 * </pre>
 */
class MeasureConsistencyTest {
  private static final List<CandidateReward> CURRENT = new ArrayList<>();
  private static final List<CandidateReward> PREVIOUS = new ArrayList<>();

  private static void prompt(String id, double[] now, double[] before) {
    for (int i = 0; i < now.length; i++) {
      CURRENT.add(reward("now", id, i, now[i]));
    }
    for (int i = 0; i < before.length; i++) {
      PREVIOUS.add(reward("before", id, i, before[i]));
    }
  }

  private static CandidateReward reward(String model, String prompt, int candidate, double r) {
    boolean defined = !Double.isNaN(r);
    return new CandidateReward(model, prompt, prompt + "/c" + candidate, r, 3, defined ? 3 : 0, 0.0);
  }

  static {
    prompt("p1", new double[] {3, 2, 1}, new double[] {5, 4, 2});
    prompt("p2", new double[] {5, 5, 3, 1}, new double[] {4, 3, 3, 1});
    prompt("p3", new double[] {4, 3, 2, 1}, new double[] {3, 4, 1, 2});
    prompt("p4", new double[] {4, 3, 2, 1}, new double[] {2, 4, 1, 3});
    prompt("p5", new double[] {1, 2, 3}, new double[] {3, 2, 1});
    prompt("p6", new double[] {1, 2, 3}, new double[] {2, 2, 2});
    prompt("p7", new double[] {1, 2, 3}, new double[] {});
    prompt("p8", new double[] {1, 2}, new double[] {1, Double.NaN});
    prompt("p9", new double[] {1, 2}, new double[] {1, 2});
    CURRENT.add(reward("now", "p9", 0, 1.5));
    prompt("p10", new double[] {1, 2}, new double[] {1});
    PREVIOUS.add(reward("other", "p10", 1, 2));
  }

  /** Every prompt's outcome and the summary of them all, as the curation's grouping by prompt feeds the function. */
  private record Measured(List<PromptConsistency> kept, List<RejectedPrompt> rejected, List<Failure> failures, ConsistencySummary summary) {
    Map<String, Long> counts() {
      Map<String, Long> out = new java.util.TreeMap<>();
      out.put("in", (long) (kept.size() + rejected.size() + failures.size()));
      out.put("out", (long) kept.size());
      out.put("rejected", (long) rejected.size());
      out.put("failed", (long) failures.size());
      out.values().removeIf(n -> n == 0);
      return out;
    }
  }

  private static Measured measure(MeasureConsistency rule) {
    java.util.TreeSet<String> prompts = new java.util.TreeSet<>();
    CURRENT.forEach(r -> prompts.add(r.promptId()));
    PREVIOUS.forEach(r -> prompts.add(r.promptId()));
    Measured out = new Measured(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), null);
    ConsistencyTally tally = ConsistencyTally.empty();
    for (String prompt : prompts) {
      List<CandidateReward> now = CURRENT.stream().filter(r -> r.promptId().equals(prompt)).toList();
      List<CandidateReward> before = PREVIOUS.stream().filter(r -> r.promptId().equals(prompt)).toList();
      MeasureConsistency.Outcome o = rule.measure(prompt, now, before);
      // Any order in, the same outcome out.
      List<CandidateReward> reversed = new ArrayList<>(now);
      java.util.Collections.reverse(reversed);
      assertThat(rule.measure(prompt, reversed, before), equalTo(o));
      if (o.kept() != null) {
        out.kept().add(o.kept());
      } else if (o.rejected() != null) {
        out.rejected().add(o.rejected());
      } else {
        out.failures().add(o.failure());
      }
      tally = o.addTo(tally);
    }
    return new Measured(out.kept(), out.rejected(), out.failures(), tally.summary());
  }

  private static <T> void check(T records, java.util.function.Function<T, Void> assertions) {
    assertions.apply(records);
  }

  private static Map<String, Double> byPrompt(Iterable<PromptConsistency> ps) {
    Map<String, Double> out = new HashMap<>();
    ps.forEach(x -> out.put(x.promptId(), x.consistency()));
    return out;
  }

  @Test
  void reportModeKeepsEveryMeasuredPromptAndSummarises() {
    Measured out = measure(MeasureConsistency.reporting());
    check(out.kept(), ps -> {
      Map<String, Double> c = byPrompt(ps);
      assertThat(c.keySet(), equalTo(java.util.Set.of("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8")));
      assertThat(c.get("p1"), is(1.0));
      assertThat(c.get("p2"), closeTo(0.9, 1e-15));
      assertThat(c.get("p3"), closeTo(2.0 / 3, 1e-15));
      assertThat(c.get("p4"), is(0.5));
      assertThat(c.get("p5"), is(0.0));
      assertThat(c.get("p6"), nullValue());
      assertThat(c.get("p7"), nullValue());
      assertThat(c.get("p8"), nullValue());
      return null;
    });
    assertThat(out.rejected(), is(List.of()));
    check(out.failures(), fs -> {
      Map<String, Failure> byId = new HashMap<>();
      fs.forEach(f -> byId.put(f.inputId(), f));
      assertThat(byId.keySet(), equalTo(java.util.Set.of("p9", "p10")));
      assertThat(byId.get("p9").errorClass(), is("DuplicateReward"));
      assertThat(byId.get("p9").message(), is("current side has two rewards for candidate p9/c0"));
      assertThat(byId.get("p9").stage(), is("consistency"));
      assertThat(byId.get("p10").errorClass(), is("MixedRewardModels"));
      assertThat(byId.get("p10").input(), containsString("\"reward_model\":\"other\""));
      return null;
    });
    check(out.summary(), s -> {
      assertThat(s.prompts(), is(10L));
      assertThat(s.kept(), is(8L));
      assertThat(s.rejected(), is(0L));
      assertThat(s.failed(), is(2L));
      assertThat(s.defined(), is(5L));
      assertThat(s.undefinedReasons(), equalTo(Map.of("all_tied_previous", 1L, "too_few_candidates", 2L)));
      // C = (1 + 0.9 + 2/3 + 0.5 + 0) / 5
      assertThat(s.consistency(), closeTo((1 + 0.9 + 2.0 / 3 + 0.5) / 5, 1e-15));
      assertThat(s.labelSmoothing(), closeTo(1 - (1 + 0.9 + 2.0 / 3 + 0.5) / 5, 1e-15));
      assertThat(s.histogram(), equalTo(List.of(1L, 0L, 0L, 0L, 0L, 1L, 1L, 0L, 0L, 2L)));
      assertThat(s.failures(), equalTo(Map.of("DuplicateReward", 1L, "MixedRewardModels", 1L)));
      return null;
    });
    assertThat(out.counts(), equalTo(Map.of("in", 10L, "out", 8L, "failed", 2L)));
  }

  @Test
  void filterModeRejectsBelowTheThresholdAndUndefinedWithReasons() {
    Measured out = measure(MeasureConsistency.filtering(0.5, false));
    // p4 sits exactly on the threshold and is kept.
    assertThat(out.kept().stream().map(PromptConsistency::promptId).toList(), containsInAnyOrder("p1", "p2", "p3", "p4"));
    assertThat(out.rejected().stream().map(r -> r.promptId() + " " + r.reason() + " " + r.consistency() + " " + r.threshold()).toList(),
        containsInAnyOrder(
            "p5 below_threshold 0.0 0.5",
            "p6 all_tied_previous null 0.5",
            "p7 too_few_candidates null 0.5",
            "p8 too_few_candidates null 0.5"));
    check(out.summary(), s -> {
      assertThat(s.stageCount().balanced(), is(true));
      assertThat(s.kept() + s.rejected() + s.failed(), is(10L));
      assertThat(s.rejections(),
          equalTo(Map.of("below_threshold", 1L, "all_tied_previous", 1L, "too_few_candidates", 2L)));
      // The set-level C is over every measured prompt, kept or rejected.
      assertThat(s.defined(), is(5L));
      return null;
    });
    assertThat(out.counts(), equalTo(Map.of("in", 10L, "out", 4L, "rejected", 4L, "failed", 2L)));
  }

  @Test
  void filterModeCanKeepUndefinedPrompts() {
    Measured out = measure(MeasureConsistency.of(new ConsistencySpec("now", null, "prev-judge", "filter", 0.95, true)));
    assertThat(out.kept().stream().map(PromptConsistency::promptId).toList(), containsInAnyOrder("p1", "p6", "p7", "p8"));
    assertThat(out.rejected().stream().map(RejectedPrompt::promptId).toList(), containsInAnyOrder("p2", "p3", "p4", "p5"));
  }

  @Test
  void noPromptsGiveAnEmptySummary() {
    ConsistencySummary s = ConsistencyTally.empty().summary();
    assertThat(s.prompts(), is(0L));
    assertThat(s.consistency(), nullValue());
  }

  @Test
  void aThresholdOutsideZeroToOneIsRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MeasureConsistency.filtering(1.5, false));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MeasureConsistency.filtering(-0.1, false));
  }
}
