package dev.assay.rewards.verifier;

import static dev.assay.rewards.Fixtures.candidate;
import static dev.assay.rewards.Fixtures.counter;
import static dev.assay.rewards.Fixtures.id;
import static dev.assay.rewards.Fixtures.only;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notANumber;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.generation.Candidate;
import dev.assay.io.JsonCoder;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.testing.Pipelines;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerifyAgainstReferenceTest {
  @ParameterizedTest(name = "normalise [{0}] = [{1}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "The Eiffel Tower.             | eiffel tower",
        "  an   apple , a pear!        | apple pear",
        "Don't panic                   | dont panic",
        "'Theory of the Leisure Class' | theory of leisure class",
        "$3.50 (about 1,000 yen)       | 3.50 about 1,000 yen",
        "3.14 vs. 31.4                 | 3.14 vs 31.4",
        "ＡＢＣ　１２３                  | abc 123",
        "A-Team                        | ateam",
        "Théâtre                       | théâtre",
        "another answer                | another answer",
        "Great 👍 work                  | great work",
      })
  void normalisationFoldsCasePunctuationArticlesAndSpacing(String text, String expected) {
    assertThat(MatchMode.normalise(text), is(expected));
  }

  @ParameterizedTest(name = "last number of [{0}] = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "The answer is 42.                | 42",
        "First 3, then 1,234.5            | 1234.5",
        "x = -7                           | -7",
        "a loss of \u22122.5              | -2.5",
        "so 6.02e23 molecules             | 6.02e23",
        "about 50% of them                | 50",
        "on 2024-05-01                    | 1",
        "it is .5                         | 0.5",
        "step-3                           | 3",
      })
  void lastNumberIsTheFinalNumeralInTheText(String text, double expected) {
    assertThat(MatchMode.lastNumber(text), is(expected));
  }

  @Test
  void aTextWithoutDigitsHasNoNumber() {
    assertThat(MatchMode.lastNumber("forty-two"), nullValue());
  }

  @Test
  void modesDecideMatches() {
    assertThat(MatchMode.EXACT.check("  Paris \n", "Paris"), is(MatchMode.Outcome.MATCH));
    assertThat(MatchMode.EXACT.check("paris", "Paris"), is(MatchMode.Outcome.NO_MATCH));
    assertThat(MatchMode.NORMALISED.check("paris!", "The Paris"), is(MatchMode.Outcome.MATCH));
    assertThat("the whole answer must match", MatchMode.NORMALISED.check("It is Paris", "Paris"), is(MatchMode.Outcome.NO_MATCH));
    assertThat(MatchMode.NUMERIC.check("1234.5000000001", "1,234.5"), is(MatchMode.Outcome.MATCH)); // 8e-14 relative
    assertThat(MatchMode.NUMERIC.check("1234.51", "1234.5"), is(MatchMode.Outcome.NO_MATCH)); // 8e-6 relative
    assertThat(MatchMode.NUMERIC.check("0", "-0.0"), is(MatchMode.Outcome.MATCH));
    assertThat(MatchMode.NUMERIC.check("no idea", "12"), is(MatchMode.Outcome.NO_MATCH));
    assertThat(MatchMode.NUMERIC.check("12", "twelve"), is(MatchMode.Outcome.UNCHECKABLE));
    assertThat(MatchMode.parse("normalised"), is(MatchMode.NORMALISED));
  }

  /**
   * Normalised mode, prompt p (reference "The Eiffel Tower"), q (no reference), r (blank reference):
   *
   * <pre>
   *   p/m/0 "eiffel tower!"                  1
   *   p/m/1 "The Eiffel tower is in Paris."  0 (the whole answer must match)
   *   p/m/2 "Eiffel   Tower"                 1
   *   q/m/0, q/m/1                            NaN, samples 0, usable 0: no_reference = 2 (+1 for r)
   *   pairs of p: (0, 1): 1 vs 0 -> 1.0; (0, 2): 1 vs 1 -> 0.5; (1, 2): 0 vs 1 -> 0.0
   *   pair of q: both undefined -> skipped, pairs_undefined = 1
   * </pre>
   */
  @Test
  void verifiesAgainstTheReferenceAndLeavesCandidatesWithoutOneUndefined() {
    List<Candidate> candidates =
        List.of(
            candidate("p", 0, "eiffel tower!", "The Eiffel Tower"),
            candidate("p", 1, "The Eiffel tower is in Paris.", "The Eiffel Tower"),
            candidate("p", 2, "Eiffel   Tower", "The Eiffel Tower"),
            candidate("q", 0, "Paris", null),
            candidate("q", 1, "Lyon", null),
            candidate("r", 0, "Paris", "  "));
    TestPipeline p = Pipelines.create(2);
    RewardModelOutput out =
        p.apply(Create.of(candidates).withCoder(JsonCoder.of(Candidate.class)))
            .apply(VerifyAgainstReference.of("verifier", MatchMode.NORMALISED));
    PAssert.that(out.rewards())
        .satisfies(
            rs -> {
              assertThat(only(rs, CandidateReward::candidateId, id("p", 0)), is(new CandidateReward("verifier", "p", id("p", 0), 1, 1, 1, 0)));
              assertThat(only(rs, CandidateReward::candidateId, id("p", 1)).reward(), is(0.0));
              assertThat(only(rs, CandidateReward::candidateId, id("p", 2)).reward(), is(1.0));
              for (String c : List.of(id("q", 0), id("q", 1), id("r", 0))) {
                CandidateReward r = only(rs, CandidateReward::candidateId, c);
                assertThat(r.reward(), notANumber());
                assertThat(r.samples(), is(0L));
                assertThat(r.usable(), is(0L));
              }
              return null;
            });
    PAssert.that(out.preferences())
        .containsInAnyOrder(
            new PairPreference("verifier", "p", id("p", 0), id("p", 1), 1.0, 1, 0),
            new PairPreference("verifier", "p", id("p", 0), id("p", 2), 0.5, 1, 0),
            new PairPreference("verifier", "p", id("p", 1), id("p", 2), 0.0, 1, 0));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "verifier", "in"), is(6L));
    assertThat(counter(result, "verifier", "out"), is(3L));
    assertThat(counter(result, "verifier", "rejected"), is(3L));
    assertThat(counter(result, "verifier", "matches"), is(2L));
    assertThat(counter(result, "verifier", "no_reference"), is(3L));
    assertThat(counter(result, "verifier", "pairs_undefined"), is(1L));
  }

  /** Numeric mode: a reference without a number cannot be checked (samples 1, usable 0), a response without one fails. */
  @Test
  void numericModeComparesLastNumbers() {
    List<Candidate> candidates =
        List.of(
            candidate("m", 0, "So the total is 1234.5", "The answer is 1,234.5"),
            candidate("m", 1, "I get 1235.", "The answer is 1,234.5"),
            candidate("m", 2, "I cannot say.", "The answer is 1,234.5"),
            candidate("n", 0, "42", "forty-two"));
    TestPipeline p = Pipelines.create();
    RewardModelOutput out =
        p.apply(Create.of(candidates).withCoder(JsonCoder.of(Candidate.class))).apply(VerifyAgainstReference.of("num", MatchMode.NUMERIC));
    PAssert.that(out.rewards())
        .containsInAnyOrder(
            new CandidateReward("num", "m", id("m", 0), 1, 1, 1, 0),
            new CandidateReward("num", "m", id("m", 1), 0, 1, 1, 0),
            new CandidateReward("num", "m", id("m", 2), 0, 1, 1, 0),
            new CandidateReward("num", "n", id("n", 0), Double.NaN, 1, 0, 0));
    PAssert.that(out.preferences())
        .containsInAnyOrder(
            new PairPreference("num", "m", id("m", 0), id("m", 1), 1.0, 1, 0),
            new PairPreference("num", "m", id("m", 0), id("m", 2), 1.0, 1, 0),
            new PairPreference("num", "m", id("m", 1), id("m", 2), 0.5, 1, 0));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "num", "reference_without_number"), is(1L));
  }
}
