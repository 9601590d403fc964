package dev.assay.qualification;

import dev.assay.rewards.TextFeatures;
import dev.assay.stats.CohenKappa;
import dev.assay.stats.KappaResult;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a judge's verdicts on a labelled set come to: accuracy against gold in each order and in both, position
 * consistency, agreement with each human rater, and the length probe.
 *
 * <p>Definitions (the same as LLMBar's {@code statistics.json}, so its published counts can be checked): an order's
 * accuracy is {@code correct / decisive}, over the items whose gold names a better output; items whose gold is a tie
 * or has no majority are counted apart ({@link OrderFigures#tieGoldSaidTie}), never as right or wrong. {@code
 * correctBoth} counts decisive items right in both orders; {@code sameVerdict} counts items (all of them) whose two
 * verdicts are equal, where two missing verdicts count as equal, as LLMBar counts them. {@code accuracy} pools the
 * orders: correct verdicts over decisive items times orders (LLMBar's {@code correct_average}).
 *
 * @param items items judged
 * @param decisiveGold items whose gold names a better output
 * @param tieGold items whose gold is a tie
 * @param noGold items whose raters have no majority
 * @param orders one entry per order judged (output 1 first, then output 2 first)
 * @param correctBoth decisive items right in both orders; null with one order
 * @param sameVerdict items with the same verdict in both orders (LLMBar's {@code equal}); null with one order
 * @param accuracy correct over decisive items times orders; null when no item is decisive
 * @param agreement Cohen's kappa of the judge's labels (1, 2, 0 for a tie) against each human rater, per order
 * @param length how often a decisive verdict picks the longer output, beside how often gold does
 */
public record QualificationFigures(
    long items,
    long decisiveGold,
    long tieGold,
    long noGold,
    List<OrderFigures> orders,
    Long correctBoth,
    Long sameVerdict,
    Double accuracy,
    List<RaterAgreement> agreement,
    LengthProbe length) {
  public QualificationFigures {
    orders = List.copyOf(orders);
    agreement = List.copyOf(agreement);
  }

  /**
   * One presentation order.
   *
   * @param order {@code output_1_first} or {@code output_2_first}
   * @param decisive decisive-gold items judged in this order
   * @param correct of those, verdicts equal to gold
   * @param accuracy {@code correct / decisive}, null when none
   * @param noVerdict items (all) without a verdict in this order
   * @param ties items (all) the judge called a tie in this order
   * @param tieGold items whose gold is a tie
   * @param tieGoldSaidTie of those, the judge also said tie
   */
  public record OrderFigures(
      String order, long decisive, long correct, Double accuracy, long noVerdict, long ties, long tieGold, long tieGoldSaidTie) {}

  /**
   * The judge against one human rater in one order, over the items both labelled (judge verdict present).
   *
   * @param rater the rater's name ({@code gold}, {@code annotator1}, ..., {@code majority})
   * @param order as in {@link OrderFigures#order}
   * @param items items compared
   * @param agreeing of those, same label
   * @param kappa Cohen's kappa; null when undefined (both used one label)
   */
  public record RaterAgreement(String rater, String order, long items, long agreeing, Double kappa) {}

  /**
   * The length probe: verdicts on items whose outputs differ in length (words).
   *
   * @param verdicts decisive verdicts on such items, all orders
   * @param forLonger of those, for the longer output
   * @param share {@code forLonger / verdicts}, null when none
   * @param goldDecisive decisive gold labels on such items
   * @param goldForLonger of those, for the longer output: the share a judge without length bias would match
   * @param goldShare {@code goldForLonger / goldDecisive}, null when none
   */
  public record LengthProbe(long verdicts, long forLonger, Double share, long goldDecisive, long goldForLonger, Double goldShare) {}

  /** The figures of {@code judged}. */
  public static QualificationFigures of(List<JudgedItem> judged) {
    boolean both = !judged.isEmpty() && judged.stream().allMatch(j -> j.second() != null);
    long decisive = judged.stream().filter(j -> j.item().decisive()).count();
    long tie = judged.stream().filter(j -> j.item().gold() != null && j.item().gold() == 0).count();
    long none = judged.stream().filter(j -> j.item().gold() == null).count();
    List<OrderFigures> orders = new ArrayList<>();
    orders.add(order("output_1_first", judged, JudgedItem::first));
    if (both) {
      orders.add(order("output_2_first", judged, JudgedItem::second));
    }
    long correct = orders.stream().mapToLong(OrderFigures::correct).sum();
    long asked = orders.stream().mapToLong(OrderFigures::decisive).sum();
    Long correctBoth = null;
    Long same = null;
    if (both) {
      correctBoth =
          judged.stream()
              .filter(j -> j.item().decisive() && right(j.first(), j.item()) && right(j.second(), j.item()))
              .count();
      same = judged.stream().filter(j -> j.first() == j.second()).count();
    }
    List<RaterAgreement> agreement = new ArrayList<>();
    TreeSet<String> raters = new TreeSet<>();
    judged.forEach(j -> raters.addAll(j.item().raters().keySet()));
    for (String rater : raters) {
      agreement.add(agreement(rater, "output_1_first", judged, JudgedItem::first, i -> i.raters().get(rater)));
      if (both) {
        agreement.add(agreement(rater, "output_2_first", judged, JudgedItem::second, i -> i.raters().get(rater)));
      }
    }
    if (raters.size() > 1) {
      agreement.add(agreement("majority", "output_1_first", judged, JudgedItem::first, LabelledItem::gold));
      if (both) {
        agreement.add(agreement("majority", "output_2_first", judged, JudgedItem::second, LabelledItem::gold));
      }
    }
    return new QualificationFigures(
        judged.size(), decisive, tie, none, orders, correctBoth, same, ratio(correct, asked), agreement, length(judged, both));
  }

  private static boolean right(Winner w, LabelledItem item) {
    return item.decisive() && w.decisive() && w.label().equals(item.gold());
  }

  private static OrderFigures order(String name, List<JudgedItem> judged, Function<JudgedItem, Winner> verdict) {
    long decisive = 0;
    long correct = 0;
    long noVerdict = 0;
    long ties = 0;
    long tieGold = 0;
    long tieGoldSaidTie = 0;
    for (JudgedItem j : judged) {
      Winner w = verdict.apply(j);
      noVerdict += w == Winner.NONE ? 1 : 0;
      ties += w == Winner.TIE ? 1 : 0;
      if (j.item().decisive()) {
        decisive++;
        correct += right(w, j.item()) ? 1 : 0;
      } else if (j.item().gold() != null) {
        tieGold++;
        tieGoldSaidTie += w == Winner.TIE ? 1 : 0;
      }
    }
    return new OrderFigures(name, decisive, correct, ratio(correct, decisive), noVerdict, ties, tieGold, tieGoldSaidTie);
  }

  private static RaterAgreement agreement(
      String rater, String order, List<JudgedItem> judged, Function<JudgedItem, Winner> verdict,
      Function<LabelledItem, Integer> label) {
    List<Integer> judge = new ArrayList<>();
    List<Integer> human = new ArrayList<>();
    for (JudgedItem j : judged) {
      Integer h = label.apply(j.item());
      Integer v = verdict.apply(j).label();
      if (h != null && v != null) {
        judge.add(v);
        human.add(h);
      }
    }
    if (judge.isEmpty()) {
      return new RaterAgreement(rater, order, 0, 0, null);
    }
    KappaResult k = CohenKappa.of(judge, human);
    return new RaterAgreement(rater, order, k.items(), k.agreeing(), Double.isNaN(k.kappa()) ? null : k.kappa());
  }

  private static LengthProbe length(List<JudgedItem> judged, boolean both) {
    long verdicts = 0;
    long forLonger = 0;
    long gold = 0;
    long goldLonger = 0;
    for (JudgedItem j : judged) {
      int w1 = TextFeatures.wordCount(j.item().output1());
      int w2 = TextFeatures.wordCount(j.item().output2());
      if (w1 == w2) {
        continue;
      }
      int longer = w1 > w2 ? 1 : 2;
      for (Winner w : both ? List.of(j.first(), j.second()) : List.of(j.first())) {
        if (w.decisive()) {
          verdicts++;
          forLonger += w.label() == longer ? 1 : 0;
        }
      }
      if (j.item().decisive()) {
        gold++;
        goldLonger += j.item().gold() == longer ? 1 : 0;
      }
    }
    return new LengthProbe(verdicts, forLonger, ratio(forLonger, verdicts), gold, goldLonger, ratio(goldLonger, gold));
  }

  private static Double ratio(long num, long den) {
    return den == 0 ? null : (double) num / den;
  }
}
