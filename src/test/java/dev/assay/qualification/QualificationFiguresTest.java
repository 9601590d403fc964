package dev.assay.qualification;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The figures against hand-counted values. */
class QualificationFiguresTest {
  private static LabelledItem item(String id, Integer gold, String out1, String out2, Integer rater) {
    return new LabelledItem(id, 1, "Do it.", out1, out2, gold, Map.of("r1", rater));
  }

  /**
   * A: gold 1, right in both orders. B: gold 2, wrong with output 1 first. C: tie gold. D: no majority, no verdicts.
   * E: gold 1, no verdicts. Words: A 3 vs 1, B 1 vs 2, C and E equal, D 2 vs 1.
   */
  private static final List<JudgedItem> JUDGED =
      List.of(
          new JudgedItem(item("A", 1, "a b c", "a", 1), Winner.OUTPUT_1, Winner.OUTPUT_1),
          new JudgedItem(item("B", 2, "x", "x y", 2), Winner.OUTPUT_1, Winner.OUTPUT_2),
          new JudgedItem(item("C", 0, "p", "q", 0), Winner.TIE, Winner.OUTPUT_1),
          new JudgedItem(item("D", null, "m n", "m", 1), Winner.NONE, Winner.NONE),
          new JudgedItem(item("E", 1, "e", "f", 2), Winner.NONE, Winner.NONE));

  @Test
  void accuracyCountsDecisiveGoldOnlyAndTiesApart() {
    QualificationFigures f = QualificationFigures.of(JUDGED);
    assertThat(f.items(), is(5L));
    assertThat(f.decisiveGold(), is(3L));
    assertThat(f.tieGold(), is(1L));
    assertThat(f.noGold(), is(1L));
    QualificationFigures.OrderFigures first = f.orders().get(0);
    QualificationFigures.OrderFigures second = f.orders().get(1);
    assertThat(first.correct() + "/" + first.decisive(), is("1/3"));
    assertThat(second.correct() + "/" + second.decisive(), is("2/3"));
    assertThat(first.noVerdict(), is(2L));
    assertThat(first.tieGoldSaidTie() + "/" + first.tieGold(), is("1/1"));
    assertThat(second.tieGoldSaidTie(), is(0L));
    assertThat("pooled: 3 right of 6", f.accuracy(), closeTo(0.5, 1e-12));
    assertThat(f.correctBoth(), is(1L));
    assertThat("A, and D and E whose two missing verdicts count as the same", f.sameVerdict(), is(3L));
  }

  @Test
  void kappaAgainstEachRaterOverItemsWithAVerdict() {
    QualificationFigures f = QualificationFigures.of(JUDGED);
    QualificationFigures.RaterAgreement first = f.agreement().get(0);
    assertThat(first.rater() + " " + first.order(), is("r1 output_1_first"));
    // Pairs (judge, r1): A (1,1), B (1,2), C (0,0): p_o = 2/3, p_e = 2/3*1/3 + 1/3*1/3 = 1/3, kappa = 0.5.
    assertThat(first.items(), is(3L));
    assertThat(first.agreeing(), is(2L));
    assertThat(first.kappa(), closeTo(0.5, 1e-12));
    assertThat("one rater: no majority row", f.agreement().size(), is(2));
  }

  @Test
  void lengthProbeSetsTheJudgeBesideGold() {
    QualificationFigures.LengthProbe l = QualificationFigures.of(JUDGED).length();
    // A: both verdicts for the longer output 1; B: output 1 (shorter), then output 2 (longer).
    assertThat(l.forLonger() + "/" + l.verdicts(), is("3/4"));
    assertThat(l.goldForLonger() + "/" + l.goldDecisive(), is("2/2"));
  }

  @Test
  void oneOrderHasNoBothOrderFigures() {
    QualificationFigures f = QualificationFigures.of(List.of(new JudgedItem(item("A", 1, "a", "b", 1), Winner.OUTPUT_2, null)));
    assertThat(f.orders().size(), is(1));
    assertThat(f.correctBoth(), nullValue());
    assertThat(f.sameVerdict(), nullValue());
    assertThat(f.accuracy(), closeTo(0.0, 1e-12));
  }
}
