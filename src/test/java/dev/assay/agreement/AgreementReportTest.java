package dev.assay.agreement;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.agreement.AgreementReport.Comparison;
import dev.assay.agreement.AgreementReport.RaterPair;
import dev.assay.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures on small hand-made files, each computed by hand in the comments.
 *
 * <p>VERDICTS: five items, humans h1 and h2, judge j1; h2 skipped i4, j1 skipped i5.
 *
 * <pre>
 *   item  h1   h2   j1
 *   i1    A    A    A
 *   i2    A    B    A
 *   i3    B    B    tie
 *   i4    tie  -    B
 *   i5    B    B    -
 * </pre>
 */
class AgreementReportTest {
  private static final double EPS = 1e-12;

  private static final String VERDICTS =
      """
      item,rater,label
      i1,h1,A
      i1,h2,A
      i1,j1,A
      i2,h1,A
      i2,h2,B
      i2,j1,A
      i3,h1,B
      i3,h2,B
      i3,j1,tie
      i4,h1,tie
      i4,j1,B
      i5,h1,B
      i5,h2,B
      """;

  /**
   * SCORES: two raters, four items, on a 1-2-4 scale with a gap, so that position and value distances differ.
   *
   * <pre>
   *   item  x  y
   *   1     1  1
   *   2     2  1
   *   3     4  4
   *   4     4  2
   * </pre>
   */
  private static final String SCORES =
      """
      item,rater,label
      1,x,1
      1,y,1
      2,x,2
      2,y,1
      3,x,4
      3,y,4
      4,x,4
      4,y,2
      """;

  @TempDir Path dir;

  private Ratings ratings(String csv) throws IOException {
    Path f = dir.resolve("r.csv");
    Files.writeString(f, csv);
    return LongFormatReader.read(f, LongFormatReader.Format.CSV, LongFormatReader.Fields.DEFAULT);
  }

  private AgreementReport report(String csv, AgreementOptions options) throws IOException {
    return AgreementReport.compute(ratings(csv), options);
  }

  private static AgreementOptions groups(String a, String b) {
    return AgreementOptions.defaults().withGroups(RaterPattern.parse(a), RaterPattern.parse(b));
  }

  @Test
  void allRatersOnVerdicts() throws IOException {
    AgreementReport r = report(VERDICTS, AgreementOptions.defaults());
    assertThat(r.counts().votes(), equalTo(13L));
    assertThat(r.counts().items(), equalTo(5L));
    assertThat(r.counts().raters(), equalTo(3L));
    assertThat(r.counts().pairableItems(), equalTo(5L));
    assertThat(r.categories(), contains("A", "B", "tie"));
    assertThat(r.numericLabels(), is(false));

    // Pairs of votes within items: i1 3 of 3 agree, i2 1 of 3 (h1-j1), i3 1 of 3 (h1-h2), i4 0 of 1, i5 1 of 1.
    var p = r.allRaters().percentAgreement();
    assertThat(p.agreeing(), equalTo(6L));
    assertThat(p.pairs(), equalTo(11L));
    assertThat(p.items(), equalTo(5L));
    assertThat(p.ratio(), closeTo(6.0 / 11, EPS));

    // Items have 3, 3, 3, 2, 2 votes: Fleiss' kappa does not apply.
    assertThat(r.allRaters().fleissKappa().kappa(), nullValue());
    assertThat(r.allRaters().fleissKappa().note(), containsString("items have 2 to 3 votes"));

    // Nominal alpha, n = 13 pairable values; marginals A 5, B 6, tie 2.
    // D_o = Σ_u (Σ_{c≠k} n_uc n_uk) / (m_u - 1) / n: i2 (A2 B1) 4/2, i3 (B2 tie1) 4/2, i4 (tie1 B1) 2/1 -> 6 / 13.
    // D_e = (n² - Σ n_c²) / (n (n - 1)) = (169 - 65) / 156 = 2/3.  alpha = 1 - (6/13) / (2/3) = 4/13.
    var alpha = r.allRaters().krippendorffAlpha();
    assertThat(alpha.alpha(), closeTo(4.0 / 13, EPS));
    assertThat(alpha.pairableVotes(), equalTo(13L));
    assertThat(alpha.pairableItems(), equalTo(5L));
    assertThat(alpha.level(), equalTo(MeasurementLevel.NOMINAL));
  }

  @Test
  void groupsPairEveryVoteOfAWithEveryVoteOfBOnAnItem() throws IOException {
    AgreementReport r = report(VERDICTS, groups("h*", "regex:j[0-9]"));
    assertThat(r.groups().a().raters(), contains("h1", "h2"));
    assertThat(r.groups().a().votes(), equalTo(9L)); // h1 rated all 5 items, h2 all but i4
    assertThat(r.groups().b().raters(), contains("j1"));
    assertThat(r.groups().b().votes(), equalTo(4L)); // j1 skipped i5

    // i1: h1-j1 A/A, h2-j1 A/A; i2: h1-j1 A/A, h2-j1 B/A; i3: h1-j1 B/tie, h2-j1 B/tie; i4: h1-j1 tie/B;
    // i5: no j1 vote. 7 pairs over 4 items, 3 agree.
    Comparison c = r.groups().comparison();
    assertThat(c.pairs(), equalTo(7L));
    assertThat(c.items(), equalTo(4L));
    assertThat(c.agreeing(), equalTo(3L));
    assertThat(c.percentAgreement(), closeTo(3.0 / 7, EPS));
    // A side [A A A B B B tie], B side [A A A A tie tie B]: p_o = 3/7,
    // p_e = (3·4 + 3·1 + 1·2) / 49 = 17/49, kappa = (21/49 - 17/49) / (32/49) = 1/8.
    assertThat(c.cohenKappa().kappa(), closeTo(0.125, EPS));
    assertThat(c.cohenKappa().weighting(), equalTo("unweighted"));
    assertThat(c.cohenKappa().categories(), equalTo(3));
    // Nominal: nothing that needs an order.
    assertThat(c.cohenKappaLinear(), nullValue());
    assertThat(c.kendallTauB(), nullValue());
    assertThat(c.pearson(), nullValue());
  }

  @Test
  void perPairKappaForEveryTwoRaters() throws IOException {
    List<RaterPair> pairs = report(VERDICTS, AgreementOptions.defaults()).raterPairs();
    assertThat(pairs.stream().map(p -> p.raterA() + "-" + p.raterB()).toList(), contains("h1-h2", "h1-j1", "h2-j1"));
    // h1-h2 on i1, i2, i3, i5: A/A A/B B/B B/B. p_o = 3/4; h1 A2 B2, h2 A1 B3: p_e = (2·1 + 2·3)/16 = 1/2 -> 1/2.
    assertPair(pairs.get(0), 4, 3, 0.5);
    // h1-j1 on i1..i4: A/A A/A B/tie tie/B. p_o = 1/2; h1 A2 B1 tie1, j1 A2 B1 tie1: p_e = 6/16 -> 1/5.
    assertPair(pairs.get(1), 4, 2, 0.2);
    // h2-j1 on i1..i3: A/A B/A B/tie. p_o = 1/3; h2 A1 B2, j1 A2 tie1: p_e = 2/9 -> (1/9) / (7/9) = 1/7.
    assertPair(pairs.get(2), 3, 1, 1.0 / 7);
  }

  private static void assertPair(RaterPair p, long pairs, long agreeing, double kappa) {
    assertThat(p.comparison().pairs(), equalTo(pairs));
    assertThat(p.comparison().items(), equalTo(pairs));
    assertThat(p.comparison().agreeing(), equalTo(agreeing));
    assertThat(p.comparison().cohenKappa().kappa(), closeTo(kappa, EPS));
  }

  @Test
  void matrixIsLeftOutAboveTheLimit() throws IOException {
    AgreementReport r = report(VERDICTS, AgreementOptions.defaults().withMaxMatrixRaters(2));
    assertThat(r.raterPairs(), nullValue());
    assertThat(r.notes(), hasItem(startsWith("per-pair kappas left out: 3 raters, more than 2")));
  }

  @Test
  void excludingALabelDropsOnlyThoseVotesByDefault() throws IOException {
    // Without the two tie votes (h1 on i4, j1 on i3): i1 A A A, i2 A B A, i3 B B, i4 B (j1 alone), i5 B B.
    AgreementOptions o = groups("h*", "j*").withExcluded(List.of("tie"), ExcludeScope.VOTE);
    AgreementReport r = report(VERDICTS, o);
    assertThat(r.exclusion().votes(), equalTo(2L));
    assertThat(r.exclusion().itemsAffected(), equalTo(2L));
    assertThat(r.exclusion().itemsDropped(), equalTo(0L)); // i4 keeps j1's vote
    assertThat(r.counts().votes(), equalTo(11L));
    assertThat(r.counts().items(), equalTo(5L));
    assertThat(r.counts().pairableItems(), equalTo(4L)); // i4 has one vote left
    assertThat(r.categories(), contains("A", "B"));
    // All pairs: i1 3/3, i2 1/3, i3 1/1, i5 1/1.
    assertThat(r.allRaters().percentAgreement().agreeing(), equalTo(6L));
    assertThat(r.allRaters().percentAgreement().pairs(), equalTo(8L));
    // Groups: i1 h1-j1, h2-j1 agree; i2 h1-j1 agrees, h2-j1 not; i3 and i4 have no pair left.
    Comparison c = r.groups().comparison();
    assertThat(c.pairs(), equalTo(4L));
    assertThat(c.items(), equalTo(2L));
    assertThat(c.agreeing(), equalTo(3L));
    // A side [A A A B], B side all A: p_o = 3/4 = p_e, so kappa is exactly 0.
    assertThat(c.cohenKappa().kappa(), closeTo(0.0, EPS));
  }

  @Test
  void excludingALabelWithItemScopeDropsTheWholeItem() throws IOException {
    // i3 and i4 have a tie vote: all 5 of their votes go, both items are dropped. Left: i1, i2, i5.
    AgreementOptions o = groups("h*", "j*").withExcluded(List.of("tie"), ExcludeScope.ITEM);
    AgreementReport r = report(VERDICTS, o);
    assertThat(r.exclusion().votes(), equalTo(5L));
    assertThat(r.exclusion().itemsAffected(), equalTo(2L));
    assertThat(r.exclusion().itemsDropped(), equalTo(2L));
    assertThat(r.counts().votes(), equalTo(8L));
    assertThat(r.counts().items(), equalTo(3L));
    // All pairs: i1 3/3, i2 1/3, i5 1/1.
    assertThat(r.allRaters().percentAgreement().agreeing(), equalTo(5L));
    assertThat(r.allRaters().percentAgreement().pairs(), equalTo(7L));
    assertThat(r.groups().comparison().pairs(), equalTo(4L));
    assertThat(r.groups().comparison().agreeing(), equalTo(3L));
  }

  @Test
  void anExcludedLabelThatNeverOccursIsNoted() throws IOException {
    AgreementReport r = report(VERDICTS, AgreementOptions.defaults().withExcluded(List.of("Tie"), ExcludeScope.VOTE));
    assertThat(r.exclusion().votes(), equalTo(0L));
    assertThat(r.notes(), hasItem("left-out label 'Tie' is not given by any vote"));
  }

  @Test
  void excludingMakesTheRemainingLabelsNumeric() throws IOException {
    String csv = "item,rater,label\na,r1,1\na,r2,tie\nb,r1,2\nb,r2,2\n";
    AgreementReport text = report(csv, AgreementOptions.defaults());
    assertThat(text.numericLabels(), is(false));
    assertThat(text.notes(), hasItem("labels compared as text, since 'tie' is not a number"));
    AgreementReport numbers = report(csv, AgreementOptions.defaults().withExcluded(List.of("tie"), ExcludeScope.VOTE));
    assertThat(numbers.numericLabels(), is(true));
    assertThat(numbers.categories(), contains("1", "2"));
  }

  @Test
  void raterFilterAppliesBeforeEverything() throws IOException {
    AgreementReport r = report(VERDICTS, AgreementOptions.defaults().withRaters(RaterPattern.parse("h*")));
    assertThat(r.counts().votesRead(), equalTo(13L));
    assertThat(r.counts().ratersRead(), equalTo(3L));
    assertThat(r.counts().votes(), equalTo(9L));
    assertThat(r.counts().raters(), equalTo(2L));
    assertThat(r.raterPairs().size(), equalTo(1));
  }

  @Test
  void nominalLevelOnScores() throws IOException {
    AgreementReport r = report(SCORES, AgreementOptions.defaults());
    assertThat(r.numericLabels(), is(true));
    assertThat(r.categories(), contains("1", "2", "4"));
    // Every item has 2 votes, so Fleiss' kappa applies (Scott's pi): P̄ = 2/4; shares 1: 3/8, 2: 2/8, 4: 3/8,
    // P̄e = 22/64; kappa = (32/64 - 22/64) / (42/64) = 5/21.
    assertThat(r.allRaters().fleissKappa().kappa(), closeTo(5.0 / 21, EPS));
    assertThat(r.allRaters().fleissKappa().votesPerItem(), equalTo(2));
    // Nominal alpha: D_o = (2 + 2) / 8 = 1/2, D_e = (64 - 22) / 56 = 3/4, alpha = 1/3.
    assertThat(r.allRaters().krippendorffAlpha().alpha(), closeTo(1.0 / 3, EPS));
    // x = [1 2 4 4], y = [1 1 4 2]: p_o = 1/2; x 1:1 2:1 4:2, y 1:2 2:1 4:1: p_e = 5/16 -> 3/11.
    assertThat(r.raterPairs().get(0).comparison().cohenKappa().kappa(), closeTo(3.0 / 11, EPS));
  }

  @Test
  void ordinalLevelWeightsByPositionAndAddsRankCorrelations() throws IOException {
    Comparison c = report(SCORES, groups("x", "y").withLevel(MeasurementLevel.ORDINAL)).groups().comparison();
    assertThat(c.cohenKappa().kappa(), closeTo(3.0 / 11, EPS));
    // Positions 0 1 2 for 1 2 4. Linear d = |i-j|/2: the two misses (2,1) and (4,2) are one step each:
    // D_o = (1/2 + 1/2) / 4 = 1/4; D_e = Σ p_i q_j d_ij with p = (1/4, 1/4, 1/2), q = (1/2, 1/4, 1/4) = 1/2.
    assertThat(c.cohenKappaLinear().weighting(), equalTo("linear"));
    assertThat(c.cohenKappaLinear().kappa(), closeTo(0.5, EPS));
    // Quadratic d = (i-j)²/4: D_o = 1/8, D_e = 13/32 -> 1 - 4/13 = 9/13.
    assertThat(c.cohenKappaQuadratic().kappa(), closeTo(9.0 / 13, EPS));
    // Pairs of items: C = 4, D = 0, one tied in x (items 3, 4), one in y (items 1, 2): tau-b = 4 / sqrt(5·5).
    assertThat(c.kendallTauB().coefficient(), closeTo(0.8, EPS));
    // Mid-ranks x [1 2 3.5 3.5], y [1.5 1.5 4 3]: rho = 4 / 4.5.
    assertThat(c.spearman().coefficient(), closeTo(8.0 / 9, EPS));
    assertThat(c.pearson(), nullValue());
  }

  @Test
  void intervalLevelWeightsByValueAndAddsPearson() throws IOException {
    AgreementReport r = report(SCORES, groups("x", "y").withLevel(MeasurementLevel.INTERVAL));
    Comparison c = r.groups().comparison();
    // Quadratic by value d = (v_i - v_j)²/9, so d(1,2) = 1/9, d(1,4) = 1, d(2,4) = 4/9: D_o = (1/9 + 4/9) / 4 =
    // 5/36; D_e = Σ p_i q_j d_ij = 1/4 (1/4·1/9 + 1/4·1) + 1/4 (1/2·1/9 + 1/4·4/9) + 1/2 (1/2·1 + 1/4·4/9)
    // = (10 + 6 + 44) / 144 = 5/12 -> 1 - 1/3 = 2/3, not the 9/13 of position weights: 2 and 4 are two units
    // apart but one position.
    assertThat(c.cohenKappaQuadratic().weighting(), equalTo("quadratic-by-value"));
    assertThat(c.cohenKappaQuadratic().kappa(), closeTo(2.0 / 3, EPS));
    // Pearson: x̄ = 2.75, ȳ = 2; Sxy = 5, Sxx = 6.75, Syy = 6 -> 5 / sqrt(40.5).
    assertThat(c.pearson().coefficient(), closeTo(5 / Math.sqrt(40.5), EPS));
    assertThat(c.pearson().n(), equalTo(4L));
    // Interval alpha: D_o = (2·1 + 2·4) / 8 = 5/4; counts 1:3 2:2 4:3,
    // D_e = 2 (3·2·1 + 3·3·9 + 2·3·4) / 56 = 222/56; alpha = 1 - 70/222 = 76/111.
    assertThat(r.allRaters().krippendorffAlpha().alpha(), closeTo(76.0 / 111, EPS));
    assertThat(r.allRaters().krippendorffAlpha().level(), equalTo(MeasurementLevel.INTERVAL));
  }

  @Test
  void ratioLevelNeedsNonNegativeNumbers() throws IOException {
    AgreementReport r = report(SCORES, AgreementOptions.defaults().withLevel(MeasurementLevel.RATIO));
    assertThat(r.allRaters().krippendorffAlpha().alpha(), notNullValue());
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                report(
                    "item,rater,label\na,x,1\na,y,-1\n",
                    AgreementOptions.defaults().withLevel(MeasurementLevel.RATIO)));
    assertThat(e.line(), equalTo(3L));
    assertThat(e.field(), equalTo("label"));
    assertThat(e.getMessage(), containsString("label -1 is negative"));
  }

  @Test
  void orderedTextLabelsAtTheOrdinalLevel() throws IOException {
    // SCORES with 1 -> bad, 2 -> ok, 4 -> good: the same positions, so the same ordinal figures.
    String words = SCORES.replace(",1\n", ",bad\n").replace(",2\n", ",ok\n").replace(",4\n", ",good\n");
    AgreementOptions o = groups("x", "y").withLevel(MeasurementLevel.ORDINAL).withOrder(List.of("bad", "ok", "good"));
    AgreementReport r = report(words, o);
    assertThat(r.categories(), contains("bad", "ok", "good"));
    assertThat(r.groups().comparison().cohenKappaQuadratic().kappa(), closeTo(9.0 / 13, EPS));
    assertThat(r.groups().comparison().kendallTauB().coefficient(), closeTo(0.8, EPS));
    // An unused category in the order widens the scale for position weights: positions 0 1 3 for bad ok good
    // (fine = 2 unused) are the values 1 2 4 shifted, so quadratic kappa is the by-value 2/3 of the interval test.
    AgreementReport wider = report(words, o.withOrder(List.of("bad", "ok", "fine", "good")));
    assertThat(wider.groups().comparison().cohenKappaQuadratic().categories(), equalTo(4));
    assertThat(wider.groups().comparison().cohenKappaQuadratic().kappa(), closeTo(2.0 / 3, EPS));
  }

  @Test
  void textLabelsAtAnOrderedLevelNeedAnOrder() throws IOException {
    InputException e =
        assertThrows(
            InputException.class,
            () -> report(VERDICTS, AgreementOptions.defaults().withLevel(MeasurementLevel.ORDINAL)));
    assertThat(e.line(), equalTo(2L));
    assertThat(e.getMessage(), containsString("field 'label': label 'A' is not a number; the ordinal level needs"));
    InputException notInOrder =
        assertThrows(
            InputException.class,
            () -> report(VERDICTS, AgreementOptions.defaults().withOrder(List.of("A", "B"))));
    assertThat(notInOrder.line(), equalTo(10L));
    assertThat(notInOrder.getMessage(), containsString("label 'tie' is not in the label order [A, B]"));
    assertThrows(
        IllegalArgumentException.class,
        () -> AgreementOptions.defaults().withOrder(List.of("A", "B")).withLevel(MeasurementLevel.INTERVAL));
  }

  @Test
  void badGroups() throws IOException {
    InputException none = assertThrows(InputException.class, () -> report(VERDICTS, groups("judge*", "h*")));
    assertThat(none.getMessage(), containsString("group A 'judge*' matches no rater; raters are [h1, h2, j1]"));
    InputException both = assertThrows(InputException.class, () -> report(VERDICTS, groups("h*", "*1")));
    assertThat(both.getMessage(), containsString("rater 'h1' matches both group A 'h*' and group B '*1'"));
    assertThrows(
        IllegalArgumentException.class,
        () -> AgreementOptions.defaults().withGroups(RaterPattern.parse("a"), null));
  }

  @Test
  void undefinedStatisticsAreNullNotZero() throws IOException {
    // Both raters always say A: chance agreement is 1, kappa and alpha are undefined.
    AgreementReport r = report("item,rater,label\na,x,A\na,y,A\nb,x,A\nb,y,A\n", groups("x", "y"));
    assertThat(r.groups().comparison().agreeing(), equalTo(2L));
    assertThat(r.groups().comparison().cohenKappa().kappa(), nullValue());
    assertThat(r.allRaters().fleissKappa().kappa(), nullValue());
    assertThat(r.allRaters().krippendorffAlpha().alpha(), nullValue());
    assertThat(r.allRaters().krippendorffAlpha().note(), containsString("no variation"));
    // Groups that never rated the same item: zero pairs, every figure undefined.
    AgreementReport apart = report("item,rater,label\na,x,A\nb,y,B\n", groups("x", "y"));
    assertThat(apart.groups().comparison().pairs(), equalTo(0L));
    assertThat(apart.groups().comparison().percentAgreement(), nullValue());
    assertThat(apart.groups().comparison().cohenKappa().kappa(), nullValue());
    assertThat(apart.allRaters().percentAgreement().ratio(), nullValue());
    assertThat(apart.allRaters().krippendorffAlpha().note(), equalTo("no item has two votes"));
  }

  @Test
  void everyVoteExcludedIsAnError() throws IOException {
    InputException e =
        assertThrows(
            InputException.class,
            () -> report("item,rater,label\na,x,tie\na,y,tie\n",
                AgreementOptions.defaults().withExcluded(List.of("tie"), ExcludeScope.VOTE)));
    assertThat(e.getMessage(), containsString("no vote is left after leaving out [tie]"));
  }

  @Test
  void aRaterRatingAnItemTwiceNamesBothLines() throws IOException {
    String csv = "item,rater,label\na,r1,1\na,r2,1\nb,r1,2\na,r1,2\n";
    InputException e = assertThrows(InputException.class, () -> report(csv, AgreementOptions.defaults()));
    assertThat(e.line(), equalTo(5L));
    assertThat(e.getMessage(), containsString("rater 'r1' rated item 'a' twice, on lines 2 and 5"));
    // Left out by the rater filter: the repeat is not used, so it is neither an error nor counted.
    AgreementReport r2 = report(csv, AgreementOptions.defaults().withRaters(RaterPattern.parse("r2")));
    assertThat(r2.counts().votes(), equalTo(1L));
    assertThat(r2.counts().votesRead(), equalTo(4L));
    assertThat(r2.counts().duplicatesReplaced(), equalTo(0L));
  }

  @Test
  void keepLastReplacesTheEarlierVoteAndCountsIt() throws IOException {
    AgreementReport r =
        report(
            "item,rater,label\na,r1,1\na,r2,1\na,r1,2\n",
            AgreementOptions.defaults().withDuplicates(Ratings.Duplicates.KEEP_LAST));
    assertThat(r.counts().votesRead(), equalTo(3L));
    assertThat(r.counts().votes(), equalTo(2L));
    assertThat(r.counts().duplicatesReplaced(), equalTo(1L));
    // r1's later vote (2) replaced its first (1): the two raters now disagree on the one item.
    assertThat(r.allRaters().percentAgreement().agreeing(), equalTo(0L));
  }
}
