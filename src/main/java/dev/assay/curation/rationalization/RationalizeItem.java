package dev.assay.curation.rationalization;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.SftExample;
import dev.assay.io.Hashing;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Verdict;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The decision for one item, in plain Java so the rules read in one place: what {@link BuildRationalizationPairs}
 * runs per item inside a shard. Absolute and pairwise items follow the same rules over {@link JudgmentLabel}s (a
 * score, or a verdict as 1 / 0 / -1).
 */
final class RationalizeItem implements Serializable {
  /** Why a judgment did not become a judge SFT example: counter suffixes of the {@code rationalize.sft} stage. */
  static final String SFT_ITEM_REJECTED = "item_rejected";
  static final String SFT_NOT_OK = "not_ok";
  static final String SFT_WRONG_SCORE = "wrong_score";
  static final String SFT_DUPLICATE_TEXT = "duplicate_text";

  /**
   * What one item yields; exactly one of {@code pair} and {@code rejection} is set. {@code chosenVerdict} is the
   * chosen judgment's verdict for a pair of a pairwise judge, else null (absolute judgments have no seat);
   * {@code ifDropped}, with a pair, the item's rejection should the position balance drop the pair.
   */
  record Outcome(
      PreferencePair pair, RationalizationRejection rejection, List<SftExample> sft, Map<String, Long> sftDropped,
      Verdict chosenVerdict, RationalizationRejection ifDropped) {
    Outcome(PreferencePair pair, RationalizationRejection rejection, List<SftExample> sft, Map<String, Long> sftDropped) {
      this(pair, rejection, sft, sftDropped, null, null);
    }

    /** The pair with its seat, for the position balance. */
    PositionedPair positioned() {
      return new PositionedPair(pair, chosenVerdict, ifDropped);
    }
  }

  private final PseudoGold pseudoGold;
  private final TieBreak tieBreak;
  private final int minDistance;
  private final int iteration;
  private final String runId;

  /** @param pseudoGold the rule in pseudo-gold mode; null in gold mode */
  RationalizeItem(PseudoGold pseudoGold, TieBreak tieBreak, int minDistance, int iteration, String runId) {
    this.pseudoGold = pseudoGold;
    this.tieBreak = Objects.requireNonNull(tieBreak, "tieBreak");
    this.minDistance = minDistance;
    this.iteration = iteration;
    this.runId = Objects.requireNonNull(runId, "runId");
  }

  /**
   * Decides one item.
   *
   * @return null when the item is only a prompt (prompts do not define items)
   * @throws IllegalArgumentException for inputs the caller assembled wrongly: judgments of several judges or of both
   *     kinds, or the same judgment twice for one item, two different prompts for one item
   */
  Outcome decide(String itemId, List<Judgment> judgments, List<GoldLabel> gold, List<JudgePrompt> prompts) {
    if (judgments.isEmpty() && gold.isEmpty()) {
      return null;
    }
    List<Judgment> all = new ArrayList<>(judgments);
    all.sort(Comparator.comparingInt(Judgment::sample).thenComparing(Judgment::id));
    String judge = check(itemId, all);
    boolean pairwise = !all.isEmpty() && all.get(0).kind() == JudgmentKind.PAIRWISE;
    List<Judgment> ok = all.stream().filter(j -> j.status() == JudgmentStatus.OK).toList();
    List<Integer> okScores = ok.stream().map(JudgmentLabel::of).toList();
    Set<Integer> goldScores = new TreeSet<>();
    gold.forEach(g -> goldScores.add(g.score()));

    if (all.isEmpty()) {
      return reject(itemId, RationalizationReason.NO_JUDGMENTS, "a gold label but no judgments", null, single(goldScores), okScores, all);
    }
    JudgePrompt prompt = prompt(itemId, prompts);
    if (prompt == null) {
      return reject(itemId, RationalizationReason.NO_PROMPT, "no judge prompt for this item", judge, null, okScores, all);
    }
    Integer g;
    if (pseudoGold == null) {
      if (goldScores.isEmpty()) {
        return reject(itemId, RationalizationReason.NO_GOLD, "no gold label for this item", judge, null, okScores, all);
      }
      if (goldScores.size() > 1) {
        return reject(itemId, RationalizationReason.CONFLICTING_GOLD, "gold labels disagree: " + goldScores, judge, null, okScores, all);
      }
      g = goldScores.iterator().next();
    } else {
      g = null;
    }
    if (ok.isEmpty()) {
      return new Outcome(
          null,
          rejection(itemId, RationalizationReason.NO_OK_JUDGMENT, "none of " + all.size() + " samples has a score", judge, g, okScores, all),
          List.of(),
          Map.of(SFT_NOT_OK, (long) all.size()));
    }
    if (pseudoGold != null) {
      OptionalInt majority = pseudoGold.of(okScores);
      if (majority.isEmpty()) {
        return reject(
            itemId, RationalizationReason.NO_MAJORITY, (pairwise ? "ok verdicts " : "ok scores ") + shown(pairwise, okScores) + " have no " + pseudoGold.describe(), judge, null, okScores, all);
      }
      g = majority.getAsInt();
    }
    int goldScore = g;

    List<Judgment> right = ok.stream().filter(j -> JudgmentLabel.of(j) == goldScore).sorted(Comparator.comparing(Judgment::id)).toList();
    List<SftExample> sft = new ArrayList<>();
    Map<String, Long> dropped = new TreeMap<>();
    Set<String> texts = new HashSet<>();
    for (Judgment j : right) {
      String text = BuildRationalizationPairs.completion(j);
      // One example per distinct text: a repeated answer would weigh twice in training without teaching more.
      if (texts.add(text)) {
        sft.add(new SftExample(j.id(), "judge", itemId, prompt.prompt(), prompt.system(), text, goldScore, iteration, runId));
      } else {
        dropped.merge(SFT_DUPLICATE_TEXT, 1L, Long::sum);
      }
    }
    long notOk = all.size() - ok.size();
    if (notOk > 0) {
      dropped.put(SFT_NOT_OK, notOk);
    }
    long wrong = ok.size() - right.size();
    if (wrong > 0) {
      dropped.put(SFT_WRONG_SCORE, wrong);
    }

    if (right.isEmpty()) {
      return new Outcome(
          null,
          rejection(itemId, RationalizationReason.NO_RIGHT_JUDGMENT, "no ok " + (pairwise ? "verdict" : "score") + " in " + shown(pairwise, okScores) + " equals gold " + shown(pairwise, List.of(goldScore)).get(0), judge, goldScore, okScores, all),
          sft,
          dropped);
    }
    int furthestDistance = ok.stream().mapToInt(j -> Math.abs(JudgmentLabel.of(j) - goldScore)).max().orElse(0);
    if (furthestDistance < minDistance) {
      return new Outcome(
          null,
          rejection(
              itemId, RationalizationReason.NO_WRONG_JUDGMENT,
              (pairwise ? "ok verdicts " : "ok scores ") + shown(pairwise, okScores) + " all within " + furthestDistance + " of gold "
                  + shown(pairwise, List.of(goldScore)).get(0) + " (need " + minDistance + ")",
              judge, goldScore, okScores, all),
          sft,
          dropped);
    }
    List<Judgment> furthest =
        ok.stream().filter(j -> Math.abs(JudgmentLabel.of(j) - goldScore) == furthestDistance).sorted(Comparator.comparing(Judgment::id)).toList();
    Judgment chosen = tieBreak.chosen(itemId, right);
    Judgment rejected = tieBreak.rejected(itemId, furthest);
    if (JudgmentLabel.of(chosen) != goldScore || !furthest.contains(rejected)) {
      throw new IllegalStateException(tieBreak.describe() + " picked outside the candidates it was given for item " + itemId);
    }
    PreferencePair pair =
        new PreferencePair(
            pairId(itemId, chosen.id(), rejected.id()),
            "judge",
            itemId,
            prompt.prompt(),
            prompt.system(),
            BuildRationalizationPairs.completion(chosen),
            BuildRationalizationPairs.completion(rejected),
            chosen.id(),
            rejected.id(),
            JudgmentLabel.of(chosen),
            JudgmentLabel.of(rejected),
            furthestDistance,
            null,
            List.of(),
            Map.of(),
            iteration,
            runId);
    RationalizationRejection ifDropped =
        rejection(itemId, RationalizationReason.POSITION_BALANCE, "", judge, goldScore, okScores, all);
    return new Outcome(pair, null, sft, dropped, pairwise ? chosen.verdict() : null, ifDropped);
  }

  static String pairId(String itemId, String chosenId, String rejectedId) {
    return Hashing.sha256(String.join("\u0000", "judge", itemId, chosenId, rejectedId)).substring(0, 16);
  }

  /** The judge of the item's judgments; rejects what only a wrongly assembled input can contain. */
  private static String check(String itemId, List<Judgment> judgments) {
    Set<String> judges = new LinkedHashSet<>();
    Set<String> ids = new HashSet<>();
    Set<JudgmentKind> kinds = new HashSet<>();
    for (Judgment j : judgments) {
      kinds.add(j.kind());
      if (kinds.size() > 1) {
        throw new IllegalArgumentException("item " + itemId + " has absolute and pairwise judgments; build judge pairs from one judge's samples");
      }
      if (!ids.add(j.id())) {
        throw new IllegalArgumentException("judgment " + j.id() + " was given twice (is an input read twice?)");
      }
      judges.add(j.judge());
    }
    if (judges.size() > 1) {
      throw new IllegalArgumentException(
          "item " + itemId + " has judgments of several judges " + judges + "; build judge pairs from one judge's samples");
    }
    return judges.isEmpty() ? null : judges.iterator().next();
  }

  private static JudgePrompt prompt(String itemId, List<JudgePrompt> prompts) {
    Set<JudgePrompt> distinct = new LinkedHashSet<>(prompts);
    if (distinct.size() > 1) {
      throw new IllegalArgumentException("item " + itemId + " has " + distinct.size() + " different judge prompts");
    }
    return distinct.isEmpty() ? null : distinct.iterator().next();
  }

  /** Labels as written in a rejection's detail: scores as they are, verdicts by name. */
  private static List<Object> shown(boolean pairwise, List<Integer> labels) {
    return labels.stream().map(l -> pairwise ? (Object) JudgmentLabel.verdict(l).wire() : (Object) l).toList();
  }

  private static Integer single(Set<Integer> scores) {
    return scores.size() == 1 ? scores.iterator().next() : null;
  }

  private Outcome reject(
      String itemId, RationalizationReason reason, String detail, String judge, Integer gold, List<Integer> okScores, List<Judgment> all) {
    // No gold or prompt was established, so none of the item's judgments can become an SFT example.
    Map<String, Long> dropped = all.isEmpty() ? Map.of() : Map.of(SFT_ITEM_REJECTED, (long) all.size());
    return new Outcome(null, rejection(itemId, reason, detail, judge, gold, okScores, all), List.of(), dropped);
  }

  private RationalizationRejection rejection(
      String itemId, RationalizationReason reason, String detail, String judge, Integer gold, List<Integer> okScores, List<Judgment> all) {
    if (!all.isEmpty() && all.get(0).kind() == JudgmentKind.PAIRWISE) {
      // A verdict written as 1 / 0 / -1 would read as a score; the rejected file names it.
      return new RationalizationRejection(
          itemId, reason, detail, judge, null, List.of(), all.size(), iteration, runId,
          gold == null ? null : JudgmentLabel.verdict(gold), okScores.stream().map(JudgmentLabel::verdict).toList());
    }
    return new RationalizationRejection(itemId, reason, detail, judge, gold, okScores, all.size(), iteration, runId);
  }
}
