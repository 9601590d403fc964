package dev.assay.consistency;

import static dev.assay.consistency.PromptConsistencyTest.rewards;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.rewards.CandidateReward;
import dev.assay.run.StageCount;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** Set-level C, label smoothing, counts and histogram; the coders the transform relies on. */
class ConsistencySummaryTest {
  static final PromptConsistency ONE =
      PromptConsistency.of("p1", rewards("a", 3, "b", 2, "c", 1), rewards("a", 3, "b", 2, "c", 1));
  static final PromptConsistency POINT_NINE =
      PromptConsistency.of("p2", rewards("a", 5, "b", 5, "c", 3, "d", 1), rewards("a", 4, "b", 3, "c", 3, "d", 1));
  static final PromptConsistency TWO_THIRDS =
      PromptConsistency.of("p3", rewards("a", 4, "b", 3, "c", 2, "d", 1), rewards("a", 3, "b", 4, "c", 1, "d", 2));
  static final PromptConsistency TIED =
      PromptConsistency.of("p4", rewards("a", 1, "b", 2), rewards("a", 3, "b", 3));
  static final PromptConsistency ALONE = PromptConsistency.of("p5", rewards("a", 1), rewards("a", 1));

  @Test
  void meanOverDefinedPromptsOnlyWithCountsAndHistogram() {
    ConsistencyTally t = ConsistencyTally.empty();
    for (PromptConsistency p : List.of(ONE, POINT_NINE, TWO_THIRDS, TIED, ALONE)) {
      t = t.plusKept(p);
    }
    ConsistencySummary s = t.summary();
    // C = (1 + 0.9 + 2/3) / 3; mean tau = (1 + 0.8 + 1/3) / 3.
    assertThat(s.consistency(), closeTo((1 + 0.9 + 2.0 / 3) / 3, 1e-15));
    assertThat(s.labelSmoothing(), closeTo(1 - (1 + 0.9 + 2.0 / 3) / 3, 1e-15));
    assertThat(s.meanTauB(), closeTo((1 + 0.8 + 1.0 / 3) / 3, 1e-15));
    assertThat(s.prompts(), is(5L));
    assertThat(s.measured(), is(5L));
    assertThat(s.defined(), is(3L));
    assertThat(s.undefined(), is(2L));
    assertThat(s.undefinedReasons(),
        equalTo(Map.of(PromptConsistency.ALL_TIED_PREVIOUS, 1L, PromptConsistency.TOO_FEW_CANDIDATES, 1L)));
    // 2/3 in [0.6, 0.7); 0.9 and 1.0 both in the last bin, which is closed.
    assertThat(s.histogram(), equalTo(List.of(0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 2L)));
    assertThat(s.stageCount(), equalTo(new StageCount(5, 5, 0, 0, Map.of())));
  }

  @Test
  void rejectionsAndFailuresAreAccounted() {
    ConsistencySummary s = ConsistencyTally.empty()
        .plusKept(ONE)
        .plus(TWO_THIRDS, RejectedPrompt.BELOW_THRESHOLD)
        .plus(TIED, PromptConsistency.ALL_TIED_PREVIOUS)
        .plusFailed(MeasureConsistency.DUPLICATE_REWARD)
        .summary();
    assertThat(s.prompts(), is(4L));
    assertThat(s.kept(), is(1L));
    assertThat(s.rejected(), is(2L));
    assertThat(s.failed(), is(1L));
    assertThat(s.consistency(), closeTo((1 + 2.0 / 3) / 2, 1e-15));
    StageCount count = s.stageCount();
    assertThat(count.balanced(), is(true));
    assertThat(count.reasons(), equalTo(Map.of("below_threshold", 1L, "all_tied_previous", 1L, "DuplicateReward", 1L)));
  }

  @Test
  void theSumIsExactSoMergeOrderCannotChangeTheBits() {
    List<PromptConsistency> ps = List.of(ONE, POINT_NINE, TWO_THIRDS, TIED);
    ConsistencyTally forward = ConsistencyTally.empty();
    for (PromptConsistency p : ps) {
      forward = forward.merge(ConsistencyTally.empty().plusKept(p));
    }
    ConsistencyTally backward = ConsistencyTally.empty();
    for (int i = ps.size() - 1; i >= 0; i--) {
      backward = ConsistencyTally.empty().plusKept(ps.get(i)).merge(backward);
    }
    assertThat(forward, equalTo(backward));
    assertThat(forward.summary(), equalTo(backward.summary()));
  }

  @Test
  void nothingDefinedGivesNullNotAMadeUpValue() {
    ConsistencySummary s = ConsistencyTally.empty().plusKept(TIED).summary();
    assertThat(s.consistency(), nullValue());
    assertThat(s.labelSmoothing(), nullValue());
    assertThat(s.meanTauB(), nullValue());
    assertThat(Json.line(s), org.hamcrest.Matchers.containsString("\"consistency\":null"));
    ConsistencySummary empty = ConsistencyTally.empty().summary();
    assertThat(empty.prompts(), is(0L));
    assertThat(empty.consistency(), nullValue());
  }

  @Test
  void histogramBinsAndBounds() {
    assertThat(ConsistencySummary.binOf(0), is(0));
    assertThat(ConsistencySummary.binOf(0.0999), is(0));
    assertThat(ConsistencySummary.binOf(0.5), is(5));
    assertThat(ConsistencySummary.binOf(1), is(9));
    assertThrows(IllegalArgumentException.class, () -> ConsistencySummary.binOf(Double.NaN));
  }

  @Test
  void recordsRoundTripThroughTheirCoders() throws Exception {
    ConsistencyTally t = ConsistencyTally.empty().plusKept(POINT_NINE).plusKept(TWO_THIRDS).plus(TIED, "all_tied_previous");
    assertThat(roundTrip(t, ConsistencyTally.class), equalTo(t));
    assertThat(roundTrip(t.summary(), ConsistencySummary.class), equalTo(t.summary()));
    assertThat(roundTrip(TIED, PromptConsistency.class), equalTo(TIED));
    RejectedPrompt r = new RejectedPrompt("p4", "all_tied_previous", null, 0.5, TIED);
    assertThat(roundTrip(r, RejectedPrompt.class), equalTo(r));
    // An undefined reward is NaN in the rewards' record; it must survive the shuffle.
    CandidateReward nan = new CandidateReward("judge", "p", "c", Double.NaN, 3, 0, 0);
    assertThat(roundTrip(nan, CandidateReward.class), equalTo(nan));
  }

  static <T> T roundTrip(T value, Class<T> type) throws Exception {
    JsonCoder<T> coder = JsonCoder.of(type);
    return CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value));
  }

  @Test
  void specDefaultsAndChecks() {
    ConsistencySpec s = new ConsistencySpec("judge:self", null, "prev", null, null, null);
    assertThat(s.mode(), is("report"));
    assertThat(s.threshold(), is(0.5));
    assertThat(s.keepUndefined(), is(false));
    assertThat(s.filters(), is(false));
    assertThrows(IllegalArgumentException.class, () -> new ConsistencySpec("j", "runs/x/iter-0", "prev", null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new ConsistencySpec("j", null, null, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new ConsistencySpec("j", null, "p", "drop", null, null));
    assertThrows(IllegalArgumentException.class, () -> new ConsistencySpec("j", null, "p", "filter", 1.5, null));
    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> new ConsistencySpec(null, null, "p", null, null, null));
    assertThat(npe.getMessage(), is("reward_model"));
  }
}
