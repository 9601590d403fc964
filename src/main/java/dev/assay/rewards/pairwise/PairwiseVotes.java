package dev.assay.rewards.pairwise;

import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Verdict;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.Descriptive;
import dev.assay.rewards.PairPreference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The both-order vote of one prompt's pairwise judgments: pure, shared by {@link ScoreWithPairwiseJudge} and
 * {@link FlipRate#of}. See {@link ScoreWithPairwiseJudge} for the rules.
 */
final class PairwiseVotes {
  private PairwiseVotes() {}

  /** What crosses the shuffle for one pairwise judgment: ids, position and verdict, no rationale. */
  record Verdicts(String promptId, String shownFirst, String shownSecond, int sample, JudgmentStatus status, Verdict verdict) {
    Verdicts {
      Objects.requireNonNull(promptId, "promptId");
      Objects.requireNonNull(shownFirst, "shownFirst");
      Objects.requireNonNull(shownSecond, "shownSecond");
      Objects.requireNonNull(status, "status");
    }

    static Verdicts of(Judgment j) {
      return new Verdicts(j.itemId(), j.candidateA(), j.candidateB(), j.sample(), j.status(), j.verdict());
    }

    boolean ok() {
      return status == JudgmentStatus.OK;
    }

    /** The preferred candidate id, or null for a tie. Only for ok verdicts. */
    String preferred() {
      return switch (verdict) {
        case A -> shownFirst;
        case B -> shownSecond;
        case TIE -> null;
      };
    }
  }

  /** One prompt's outputs and counts. */
  record Result(
      List<PairPreference> preferences,
      List<CandidateReward> rewards,
      long comparisons,
      long flips,
      long ties,
      long notOk,
      long incomplete,
      long pairsWithoutVotes,
      long duplicates) {}

  private static final Comparator<Verdicts> KEEP_FIRST =
      Comparator.comparing(Verdicts::status).thenComparing(v -> v.verdict() == null ? -1 : v.verdict().ordinal());

  private record Key(String first, String second, int sample) {}

  static Result vote(String rewardModel, List<Verdicts> judgments) {
    Map<Key, Verdicts> byKey = new TreeMap<>(
        Comparator.comparing(Key::first).thenComparing(Key::second).thenComparingInt(Key::sample));
    long duplicates = 0;
    long notOk = 0;
    SortedSet<String> candidates = new TreeSet<>();
    for (Verdicts v : judgments) {
      Key k = new Key(v.shownFirst(), v.shownSecond(), v.sample());
      Verdicts before = byKey.get(k);
      if (before != null) {
        duplicates++;
        if (KEEP_FIRST.compare(v, before) >= 0) {
          continue;
        }
      }
      byKey.put(k, v);
      candidates.add(v.shownFirst());
      candidates.add(v.shownSecond());
    }
    for (Verdicts v : byKey.values()) {
      notOk += v.ok() ? 0 : 1;
    }
    String promptId = judgments.get(0).promptId();
    List<String> ids = new ArrayList<>(candidates);
    long comparisons = 0;
    long flips = 0;
    long ties = 0;
    long incomplete = 0;
    long withoutVotes = 0;
    // candidate -> pairs it was judged in / win-probabilities of the pairs that had votes
    Map<String, long[]> judgedPairs = new TreeMap<>();
    Map<String, List<Double>> winProbabilities = new TreeMap<>();
    List<PairPreference> prefs = new ArrayList<>();
    // unordered pair "x\u0000y" (x < y) -> the sample indices judged in either order
    Map<String, SortedSet<Integer>> samplesOfPair = new TreeMap<>();
    for (Key k : byKey.keySet()) {
      boolean inOrder = k.first().compareTo(k.second()) < 0;
      String pair = inOrder ? k.first() + '\u0000' + k.second() : k.second() + '\u0000' + k.first();
      samplesOfPair.computeIfAbsent(pair, p -> new TreeSet<>()).add(k.sample());
    }
    for (int i = 0; i < ids.size(); i++) {
      for (int j = i + 1; j < ids.size(); j++) {
        String x = ids.get(i);
        String y = ids.get(j);
        SortedSet<Integer> samples = samplesOfPair.get(x + '\u0000' + y);
        if (samples == null) {
          continue; // never judged together: no pair, nothing lost
        }
        judgedPairs.computeIfAbsent(x, c -> new long[1])[0]++;
        judgedPairs.computeIfAbsent(y, c -> new long[1])[0]++;
        long pc = 0;
        long winsX = 0;
        long pt = 0;
        long pf = 0;
        for (int s : samples) {
          Verdicts xy = byKey.get(new Key(x, y, s));
          Verdicts yx = byKey.get(new Key(y, x, s));
          if (xy == null || yx == null || !xy.ok() || !yx.ok()) {
            incomplete++; // one order alone would reintroduce the position bias the swap removes
            continue;
          }
          pc++;
          String p1 = xy.preferred();
          String p2 = yx.preferred();
          if (p1 == null || p2 == null) {
            pt++;
          } else if (p1.equals(p2)) {
            winsX += p1.equals(x) ? 1 : 0;
          } else {
            pf++; // each order preferred the response in the same position: the position decided, not the text
          }
        }
        comparisons += pc;
        flips += pf;
        ties += pt;
        if (pc == 0) {
          withoutVotes++;
          continue;
        }
        double p = (winsX + 0.5 * (pt + pf)) / pc;
        prefs.add(new PairPreference(rewardModel, promptId, x, y, p, pc, pf));
        winProbabilities.computeIfAbsent(x, c -> new ArrayList<>()).add(p);
        winProbabilities.computeIfAbsent(y, c -> new ArrayList<>()).add(1 - p);
      }
    }
    List<CandidateReward> rewards = new ArrayList<>();
    for (Map.Entry<String, long[]> e : judgedPairs.entrySet()) {
      double[] v = winProbabilities.getOrDefault(e.getKey(), List.of()).stream().mapToDouble(Double::doubleValue).toArray();
      rewards.add(
          new CandidateReward(
              rewardModel, promptId, e.getKey(), Descriptive.mean(v), e.getValue()[0], v.length, Descriptive.sampleStd(v)));
    }
    return new Result(prefs, rewards, comparisons, flips, ties, notOk, incomplete, withoutVotes, duplicates);
  }
}
