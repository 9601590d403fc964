package dev.assay.curation.rationalization;

import dev.assay.judging.Judgment;
import dev.assay.run.Seeds;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Picks one judgment among several equally qualified ones of an item: the chosen side among the judgments with the
 * gold score, and the rejected side among those equally furthest from it.
 *
 * <p>Both rules depend only on the run seed, the item and the candidates' ids, never on the order the runner delivers
 * them in, so a rerun or a resharded run builds the same pairs. Implementations must be serializable (they travel
 * with the DoFn) and deterministic.
 */
public interface TieBreak extends Serializable {
  /**
   * The chosen side among the item's right judgments.
   *
   * @param right one or more judgments, all with the gold score, sorted by id
   */
  Judgment chosen(String itemId, List<Judgment> right);

  /**
   * The rejected side among the item's judgments that are equally furthest from the gold score.
   *
   * @param furthest one or more judgments, sorted by id
   */
  Judgment rejected(String itemId, List<Judgment> furthest);

  /** For manifests and the dataset card, e.g. {@code seeded(42)}. */
  String describe();

  /**
   * A seeded random pick: each candidate gets the hash {@code Seeds.derive(runSeed, role, itemId, judgmentId)} and the
   * smallest wins. Reproducible for a seed; another seed gives an independent pick per item.
   */
  static TieBreak seeded(long runSeed) {
    return new Seeded(runSeed);
  }

  /**
   * The meta-judge's best-scored right judgment is chosen, and its worst-scored among the furthest is rejected (the
   * rejected side is then wrong and badly argued, the clearest contrast). Equal scores fall back to the smaller id.
   */
  static TieBreak metaJudge(MetaJudge judge) {
    return new ByMetaJudge(judge);
  }

  /** See {@link TieBreak#seeded}. */
  record Seeded(long runSeed) implements TieBreak {
    @Override
    public Judgment chosen(String itemId, List<Judgment> right) {
      return pick("rationalize.chosen", itemId, right);
    }

    @Override
    public Judgment rejected(String itemId, List<Judgment> furthest) {
      return pick("rationalize.rejected", itemId, furthest);
    }

    private Judgment pick(String role, String itemId, List<Judgment> candidates) {
      requireCandidates(candidates);
      return candidates.stream()
          .min(Comparator.comparingLong((Judgment j) -> Seeds.derive(runSeed, role, itemId, j.id())).thenComparing(Judgment::id))
          .orElseThrow();
    }

    @Override
    public String describe() {
      return "seeded(" + runSeed + ")";
    }
  }

  /** See {@link TieBreak#metaJudge}. */
  record ByMetaJudge(MetaJudge judge) implements TieBreak {
    public ByMetaJudge {
      Objects.requireNonNull(judge, "judge");
    }

    @Override
    public Judgment chosen(String itemId, List<Judgment> right) {
      requireCandidates(right);
      Map<String, Double> s = judge.score(itemId, right);
      // Best first: scored before unscored, higher score first, then the smaller id.
      return right.stream()
          .min(
              Comparator.comparing((Judgment j) -> !isScored(s.get(j.id())))
                  .thenComparingDouble(j -> isScored(s.get(j.id())) ? -s.get(j.id()) : 0.0)
                  .thenComparing(Judgment::id))
          .orElseThrow();
    }

    @Override
    public Judgment rejected(String itemId, List<Judgment> furthest) {
      requireCandidates(furthest);
      Map<String, Double> s = judge.score(itemId, furthest);
      // Worst first: an unscored judgment ranks below every scored one, then the lower score, then the smaller id.
      return furthest.stream()
          .min(
              Comparator.comparing((Judgment j) -> isScored(s.get(j.id())))
                  .thenComparingDouble(j -> isScored(s.get(j.id())) ? s.get(j.id()) : 0.0)
                  .thenComparing(Judgment::id))
          .orElseThrow();
    }

    private static boolean isScored(Double v) {
      return v != null && !v.isNaN();
    }

    @Override
    public String describe() {
      return "meta-judge(" + judge.getClass().getSimpleName() + ")";
    }
  }

  private static void requireCandidates(List<Judgment> candidates) {
    if (candidates == null || candidates.isEmpty()) {
      throw new IllegalArgumentException("a tie-break needs at least one candidate");
    }
  }
}
