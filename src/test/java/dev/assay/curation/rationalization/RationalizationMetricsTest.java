package dev.assay.curation.rationalization;

import static dev.assay.curation.rationalization.RationalizationFixtures.notOk;
import static dev.assay.curation.rationalization.RationalizationFixtures.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RationalizationMetricsTest {
  @TempDir Path tmp;

  /** a: gold 3, samples 3 3 2; b: gold 1, samples 1 (unparseable) 2; c: gold 5, samples 5 5 5; d: no gold, 4 4. */
  private static final List<Judgment> JUDGMENTS =
      List.of(
          ok("a", 0, 3), ok("a", 1, 3), ok("a", 2, 2),
          ok("b", 0, 1), notOk("b", 1, JudgmentStatus.UNPARSEABLE), ok("b", 2, 2),
          ok("c", 0, 5), ok("c", 1, 5), ok("c", 2, 5),
          ok("d", 0, 4), ok("d", 1, 4));

  @Test
  void againstGoldEveryRatioHasItsCounts() {
    RationalizationMetrics m = RationalizationMetrics.againstGold(JUDGMENTS, Map.of("a", 3, "b", 1, "c", 5, "unjudged", 2), 1);
    assertThat(m.judge(), is("j"));
    assertThat(m.iteration(), is(1));
    assertThat(m.goldSource(), is("gold"));
    assertThat("items with judgments; the unjudged gold label is not one", m.items(), is(4L));
    assertThat(m.itemsWithGold(), is(3L));
    assertThat(m.parsed(), is(new RationalizationMetrics.Share(10, 11)));
    // Scored: the 8 ok samples of a, b, c; right: 2 + 1 + 3.
    assertThat(m.accuracy(), is(new RationalizationMetrics.Share(6, 8)));
    assertThat(m.accuracy().value(), is(0.75));
    assertThat(m.meanAbsoluteError(), is(new RationalizationMetrics.Mean(8, 2)));
    assertThat(m.meanAbsoluteError().value(), is(0.25));
    // Weighted kappa of the 8 (score, gold) pairs over categories 1, 2, 3, 5, distances by value. Quadratic: the two
    // misses are 1 apart, observed disagreement (2 · 1/16) / 8 = 1/64 against chance 37/128 → 1 - 2/37 = 35/37.
    // Linear: observed (2 · 1/4) / 8 = 1/16 against chance 27/64 → 1 - 4/27 = 23/27.
    assertThat(m.kappaQuadratic().weighting(), is("quadratic-by-value"));
    assertThat(m.kappaQuadratic().samples(), is(8L));
    assertThat(m.kappaQuadratic().value(), closeTo(35.0 / 37, 1e-12));
    assertThat(m.kappaLinear().weighting(), is("linear-by-value"));
    assertThat(m.kappaLinear().value(), closeTo(23.0 / 27, 1e-12));
    // Self-consistency needs no gold: a, b, c and d all have two ok samples or more; c and d agree.
    assertThat(m.unanimous(), is(new RationalizationMetrics.Share(2, 4)));
    // Agreeing sample pairs per item: a 1 of 3, b 0 of 1, c 3 of 3, d 1 of 1.
    assertThat(m.meanPairwiseAgreement().n(), is(4L));
    assertThat(m.meanPairwiseAgreement().value(), closeTo((1.0 / 3 + 0 + 1 + 1) / 4, 1e-12));
  }

  @Test
  void againstPseudoGoldTheMajorityServesWhereThereIsOne() {
    RationalizationMetrics m = RationalizationMetrics.againstPseudoGold(JUDGMENTS, PseudoGold.majority(), 0);
    assertThat(m.goldSource(), is("pseudo-gold(majority>0.5)"));
    // b's ok samples 1 and 2 tie: no pseudo-gold. a: 3, c: 5, d: 4.
    assertThat(m.itemsWithGold(), is(3L));
    assertThat(m.accuracy(), is(new RationalizationMetrics.Share(7, 8)));
    assertThat(m.meanAbsoluteError(), is(new RationalizationMetrics.Mean(8, 1)));
  }

  /** What a caller streaming a judgments file gets: the same metrics as from the list, one judgment at a time. */
  @Test
  void aTallyFedOneAtATimeMeasuresWhatTheListDoes() {
    RationalizationMetrics.Tally tally = new RationalizationMetrics.Tally();
    JUDGMENTS.forEach(tally::add);
    assertThat(tally.items(), is(4));
    assertThat(tally.againstGold(Map.of("a", 3, "b", 1, "c", 5), 1), is(RationalizationMetrics.againstGold(JUDGMENTS, Map.of("a", 3, "b", 1, "c", 5), 1)));
    assertThat(tally.againstPseudoGold(PseudoGold.majority(), 0), is(RationalizationMetrics.againstPseudoGold(JUDGMENTS, PseudoGold.majority(), 0)));
    assertThat(tally.againstPseudoGold(PseudoGold.majority(), 0).accuracy(), is(new RationalizationMetrics.Share(7, 8)));
  }

  @Test
  void undefinedRatiosAreNullAndTheJsonRoundTrips() {
    RationalizationMetrics empty = RationalizationMetrics.againstGold(List.of(), Map.of(), 0);
    assertThat(empty.items(), is(0L));
    assertThat(empty.accuracy().value(), nullValue());
    assertThat(empty.kappaQuadratic().value(), nullValue());
    assertThat(empty.toJson(), not(containsString("NaN")));

    // One category throughout: kappa is undefined, not 1 and not NaN in the file.
    RationalizationMetrics single = RationalizationMetrics.againstGold(List.of(ok("c", 0, 5), ok("c", 1, 5)), Map.of("c", 5), 0);
    assertThat(single.accuracy().value(), is(1.0));
    assertThat(single.kappaLinear().value(), nullValue());

    RationalizationMetrics m = RationalizationMetrics.againstGold(JUDGMENTS, Map.of("a", 3, "b", 1, "c", 5), 1);
    Path file = tmp.resolve("iter-1/metrics.json");
    m.write(file);
    assertThat(RationalizationMetrics.read(file), is(m));
    assertThat(m.toJson(), containsString("\"mean_absolute_error\" : {\n    \"n\" : 8,\n    \"sum\" : 2.0,\n    \"value\" : 0.25\n  }"));
  }

  @Test
  void oneJudgeAndOneKindAtATime() {
    Judgment other =
        new Judgment("k/a/0", "p", JudgmentKind.ABSOLUTE, "k", "m", null, "a", null, 0, JudgmentStatus.OK, 2, null, "", null,
            ReferenceMode.NONE, null, "llm", null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RationalizationMetrics.againstPseudoGold(List.of(ok("a", 0, 1), other), PseudoGold.majority(), 0));
    assertThat(e.getMessage(), containsString("several judges"));
    Judgment pairwise =
        new Judgment("j/a/b/0", "p", JudgmentKind.PAIRWISE, "j", "m", null, "a", "b", 0, JudgmentStatus.OK, null, Verdict.A, "", null,
            ReferenceMode.NONE, null, "llm", null);
    e = assertThrows(IllegalArgumentException.class, () -> RationalizationMetrics.againstGold(List.of(ok("a", 0, 1), pairwise), Map.of(), 0));
    assertThat(e.getMessage(), containsString("one kind"));
  }

  private static Judgment verdict(String a, String b, int sample, Verdict v) {
    return new Judgment("j/" + a + "/" + b + "/" + sample, "p", JudgmentKind.PAIRWISE, "j", "m", null, a, b, sample, JudgmentStatus.OK,
        null, v, "", null, ReferenceMode.NONE, null, "llm", null);
  }

  @Test
  void aPairwiseJudgeIsMeasuredOnItsVerdictsPerOrderedPair() {
    // (a, b): A, A, B -> majority A; (b, a): B, tie, B -> majority B. Labels A = 1, tie = 0, B = -1.
    List<Judgment> js = List.of(
        verdict("a", "b", 0, Verdict.A), verdict("a", "b", 1, Verdict.A), verdict("a", "b", 2, Verdict.B),
        verdict("b", "a", 0, Verdict.B), verdict("b", "a", 1, Verdict.TIE), verdict("b", "a", 2, Verdict.B));
    RationalizationMetrics m = RationalizationMetrics.againstPseudoGold(js, PseudoGold.majority(), 1);
    assertThat(m.items(), is(2L));
    assertThat(m.itemsWithGold(), is(2L));
    assertThat(m.accuracy(), is(new RationalizationMetrics.Share(4, 6)));
    // |B - A| = 2 for the dissent in (a, b), |tie - B| = 1 in (b, a).
    assertThat(m.meanAbsoluteError(), is(new RationalizationMetrics.Mean(6, 3.0)));
    assertThat(m.unanimous(), is(new RationalizationMetrics.Share(0, 2)));
  }
}
