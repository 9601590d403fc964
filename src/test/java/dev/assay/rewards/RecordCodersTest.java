package dev.assay.rewards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentCoder;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Verdict;
import dev.assay.rewards.judge.ScoreSample;
import dev.assay.rewards.judge.ScoreSampleCoder;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The binary coders of the records that cross shuffles: exact (same JSON line after a round trip) and strict. */
class RecordCodersTest {
  private static <T> void roundTrips(Coder<T> coder, T value) throws CoderException {
    T back = CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, value));
    assertThat(back, is(value));
    assertThat(Json.line(back), is(Json.line(value)));
  }

  @Test
  void rewardsKeepNaNNegativeZeroAndEveryDigit() throws CoderException {
    for (CandidateReward r : List.of(
        new CandidateReward("rm", "p1", "p1/m/0", 3.3333333333333335, 3, 3, 0.5773502691896258),
        new CandidateReward("rm", "p1", "p1/m/1", Double.NaN, 2, 0, 0),
        new CandidateReward("rm-\u00e9\u4e2d", "p\ud83d\ude00", "", -0.0, Long.MAX_VALUE, 0, Double.NEGATIVE_INFINITY))) {
      roundTrips(CandidateRewardCoder.of(), r);
    }
  }

  @Test
  void preferencesRoundTrip() throws CoderException {
    roundTrips(PairPreferenceCoder.of(), new PairPreference("rm", "p1", "a", "b", 0.625, 4, 1));
    roundTrips(PairPreferenceCoder.of(), new PairPreference("rm", "p1", "a", "b", 0.1 + 0.2, 0, 0));
  }

  @Test
  void candidatesKeepNullsAndLongTexts() throws CoderException {
    roundTrips(CandidateCoder.of(), new Candidate("p/m/0", "p", "prompt", null, "x".repeat(100_000), "m", 3, null, null));
    roundTrips(CandidateCoder.of(), new Candidate("p/m/1", "p", "", "ref", "r\u00e9ponse\n", "m", 0, "stop", "abc"));
  }

  @Test
  void scoreSamplesKeepAMissingScore() throws CoderException {
    roundTrips(ScoreSampleCoder.INSTANCE, new ScoreSample("self", "p", "p/m/0", 1, JudgmentStatus.FAILED, null));
    roundTrips(ScoreSampleCoder.INSTANCE, new ScoreSample("self", "p", "p/m/0", 0, JudgmentStatus.OK, -2));
  }

  @Test
  void truncatedBytesAreACoderException() throws CoderException {
    byte[] bytes = CoderUtils.encodeToByteArray(CandidateRewardCoder.of(), new CandidateReward("rm", "p", "c", 1, 1, 1, 0));
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
    Assertions.assertThrows(CoderException.class, () -> CoderUtils.decodeFromByteArray(CandidateRewardCoder.of(), cut));
  }

  @Test
  void judgmentsKeepEveryField() throws CoderException {
    roundTrips(JudgmentCoder.of(), new Judgment("j/p/m/0/1", "p", JudgmentKind.ABSOLUTE, "j", "m", "absolute@1", "p/m/0", null, 1,
        JudgmentStatus.OK, 4, null, "because", "because\n[RESULT] 4", ReferenceMode.NONE, "abc", "llm", null));
    roundTrips(JudgmentCoder.of(), new Judgment("j/a/b/0", "p", JudgmentKind.PAIRWISE, "j", null, null, "a", "b", 0,
        JudgmentStatus.OK, null, Verdict.TIE, "", null, ReferenceMode.values()[ReferenceMode.values().length - 1], null, "import:x.jsonl", null));
    roundTrips(JudgmentCoder.of(), new Judgment("j/p/m/0/2", "p", JudgmentKind.ABSOLUTE, "j", "m", "t", "p/m/0", null, 2,
        JudgmentStatus.FAILED, null, null, null, null, ReferenceMode.NONE, null, "llm", "TransportException: reset"));
  }
}
