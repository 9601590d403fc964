package dev.assay.curation.rationalization;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.stats.CohenKappa;
import dev.assay.stats.KappaWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * How well a judge J_t reproduces gold scores, and how consistent its own samples are: the per-iteration report of a
 * self-rationalization run, written as {@code metrics.json}.
 *
 * <p>A pairwise judge is measured the same way on its verdicts as {@link JudgmentLabel}s (A = 1, tie = 0, B = -1) per
 * ordered pair: accuracy is agreement with the majority (or gold) verdict, the mean absolute error is in those units
 * (an opposite verdict counts 2, a tie against a decisive verdict 1), and kappa weighs by that value.
 *
 * <p>The unit of accuracy, error and kappa is one ok sample against its item's gold: an item judged N times counts N
 * times. Items are the judged candidates ({@code Judgment.candidateA()}) that have judgments; gold labels of items
 * without judgments are not counted here ({@link BuildRationalizationPairs} rejects those as {@code no_judgments}).
 * Against pseudo-gold (the majority of the samples themselves) accuracy and kappa are optimistic by construction:
 * every sample in a majority agrees with a gold it helped elect. They then measure self-agreement, not correctness.
 *
 * <p>Every ratio carries its counts; a ratio with a zero denominator, and a kappa that is undefined (one category
 * only), is null and left out of the JSON.
 *
 * @param judge the judge whose samples were measured
 * @param iteration the training iteration t
 * @param goldSource {@code gold}, or {@code pseudo-gold(<rule>)}
 * @param items judged items (with at least one judgment of any status)
 * @param itemsWithGold items with a gold score (pseudo-gold: items whose ok samples have a qualifying majority)
 * @param parsed ok samples of all samples (the parse rate)
 * @param accuracy ok samples of items with gold whose score equals gold, of all such samples
 * @param meanAbsoluteError {@code Σ |score - gold|} over the same samples
 * @param kappaQuadratic Cohen's kappa of (sample score, gold) pairs with quadratic weights by score value
 * @param kappaLinear the same with linear weights by score value
 * @param unanimous items whose ok samples all agree, of the items with at least two ok samples
 * @param meanPairwiseAgreement the mean over items with at least two ok samples of the share of agreeing sample pairs
 */
public record RationalizationMetrics(
    String judge,
    int iteration,
    String goldSource,
    long items,
    long itemsWithGold,
    Share parsed,
    Share accuracy,
    Mean meanAbsoluteError,
    Kappa kappaQuadratic,
    Kappa kappaLinear,
    Share unanimous,
    Mean meanPairwiseAgreement) {

  /**
   * {@code count / of}, kept as the two counts.
   *
   * @param count the numerator
   * @param of the denominator
   */
  @JsonIgnoreProperties(value = "value", allowGetters = true)
  public record Share(long count, long of) {
    public Share {
      if (count < 0 || of < count) {
        throw new IllegalArgumentException("a share needs 0 <= count <= of: " + count + "/" + of);
      }
    }

    /** {@code count / of}, or null when {@code of} is 0. */
    @JsonProperty("value")
    public Double value() {
      return of == 0 ? null : (double) count / of;
    }
  }

  /**
   * A mean, kept as its sum and count.
   *
   * @param n how many values
   * @param sum their sum
   */
  @JsonIgnoreProperties(value = "value", allowGetters = true)
  public record Mean(long n, double sum) {
    public Mean {
      if (n < 0 || !Double.isFinite(sum)) {
        throw new IllegalArgumentException("a mean needs n >= 0 and a finite sum: " + n + ", " + sum);
      }
    }

    /** {@code sum / n}, or null when {@code n} is 0. */
    @JsonProperty("value")
    public Double value() {
      return n == 0 ? null : sum / n;
    }
  }

  /**
   * A weighted Cohen's kappa between sample scores and gold.
   *
   * @param weighting {@code KappaWeights.name()}
   * @param samples (score, gold) pairs it was computed from
   * @param value kappa, or null when undefined (no pairs, or a single category throughout)
   */
  public record Kappa(String weighting, long samples, Double value) {
    public Kappa {
      Objects.requireNonNull(weighting, "weighting");
    }
  }

  public RationalizationMetrics {
    Objects.requireNonNull(goldSource, "goldSource");
    Objects.requireNonNull(parsed, "parsed");
    Objects.requireNonNull(accuracy, "accuracy");
    Objects.requireNonNull(meanAbsoluteError, "meanAbsoluteError");
    Objects.requireNonNull(kappaQuadratic, "kappaQuadratic");
    Objects.requireNonNull(kappaLinear, "kappaLinear");
    Objects.requireNonNull(unanimous, "unanimous");
    Objects.requireNonNull(meanPairwiseAgreement, "meanPairwiseAgreement");
  }

  /**
   * Measures against gold labels.
   *
   * @param gold gold score by item id ({@code Judgment.candidateA()})
   * @throws IllegalArgumentException for judgments of several judges (measure one judge) or of both kinds
   */
  public static RationalizationMetrics againstGold(Iterable<Judgment> judgments, Map<String, Integer> gold, int iteration) {
    return tally(judgments).againstGold(gold, iteration);
  }

  /**
   * Measures against the pseudo-gold of each item: its majority score under {@code rule}, as
   * {@link BuildRationalizationPairs#withPseudoGold} uses it.
   *
   * @throws IllegalArgumentException for judgments of several judges or of both kinds
   */
  public static RationalizationMetrics againstPseudoGold(Iterable<Judgment> judgments, PseudoGold rule, int iteration) {
    return tally(judgments).againstPseudoGold(rule, iteration);
  }

  private static Tally tally(Iterable<Judgment> judgments) {
    Tally t = new Tally();
    judgments.forEach(t::add);
    return t;
  }

  /**
   * The metrics' input, collected one judgment at a time, so a caller can stream a judgments file through it: only
   * the ok scores per item are kept, not the judgments, whose texts would hold every rationale in memory.
   */
  public static final class Tally {
    private final Map<String, List<Integer>> byItem = new TreeMap<>();
    private final TreeSet<String> judges = new TreeSet<>();
    private JudgmentKind kind;
    private long samples;
    private long ok;

    /** @throws IllegalArgumentException for a judgment of another kind than those added before */
    public void add(Judgment j) {
      if (kind != null && j.kind() != kind) {
        throw new IllegalArgumentException("rationalization metrics measure one kind of judgment; " + j.id() + " is " + j.kind() + ", not " + kind);
      }
      kind = j.kind();
      judges.add(j.judge());
      samples++;
      List<Integer> scores = byItem.computeIfAbsent(JudgmentLabel.item(j), k -> new ArrayList<>());
      if (j.status() == JudgmentStatus.OK) {
        ok++;
        scores.add(JudgmentLabel.of(j));
      }
    }

    /** The items seen: distinct {@link JudgmentLabel#item}s (candidates, or ordered pairs of a pairwise judge). */
    public int items() {
      return byItem.size();
    }

    /** Whether the judgments added are pairwise (false when none was added). */
    public boolean pairwise() {
      return kind == JudgmentKind.PAIRWISE;
    }

    /** As {@link RationalizationMetrics#againstGold}, over what was added. */
    public RationalizationMetrics againstGold(Map<String, Integer> gold, int iteration) {
      Objects.requireNonNull(gold, "gold");
      Map<String, Integer> labels = Map.copyOf(gold);
      return compute(this, iteration, "gold", (item, okScores) -> labels.get(item));
    }

    /** As {@link RationalizationMetrics#againstPseudoGold}, over what was added. */
    public RationalizationMetrics againstPseudoGold(PseudoGold rule, int iteration) {
      Objects.requireNonNull(rule, "rule");
      BiFunction<String, List<Integer>, Integer> majority =
          (item, okScores) -> {
            OptionalInt g = rule.of(okScores);
            return g.isPresent() ? g.getAsInt() : null;
          };
      return compute(this, iteration, "pseudo-gold(" + rule.describe() + ")", majority);
    }
  }

  private static RationalizationMetrics compute(
      Tally tally, int iteration, String goldSource, BiFunction<String, List<Integer>, Integer> goldOf) {
    Map<String, List<Integer>> byItem = tally.byItem;
    TreeSet<String> judges = tally.judges;
    long samples = tally.samples;
    long ok = tally.ok;
    if (judges.size() > 1) {
      throw new IllegalArgumentException("judgments of several judges " + judges + "; measure one judge at a time");
    }

    long withGold = 0;
    long right = 0;
    long scored = 0;
    long absError = 0;
    List<Integer> sampleScores = new ArrayList<>();
    List<Integer> goldScores = new ArrayList<>();
    long multi = 0;
    long unanimous = 0;
    double agreementSum = 0;
    for (Map.Entry<String, List<Integer>> e : byItem.entrySet()) {
      List<Integer> okScores = e.getValue();
      if (okScores.size() >= 2) {
        multi++;
        Map<Integer, Long> counts = new HashMap<>();
        okScores.forEach(s -> counts.merge(s, 1L, Long::sum));
        if (counts.size() == 1) {
          unanimous++;
        }
        long k = okScores.size();
        long agreeingPairs = counts.values().stream().mapToLong(c -> c * (c - 1) / 2).sum();
        agreementSum += (double) agreeingPairs / (k * (k - 1) / 2);
      }
      Integer g = goldOf.apply(e.getKey(), okScores);
      if (g == null) {
        continue;
      }
      withGold++;
      for (int s : okScores) {
        scored++;
        absError += Math.abs(s - g);
        if (s == g) {
          right++;
        }
        sampleScores.add(s);
        goldScores.add(g);
      }
    }
    return new RationalizationMetrics(
        judges.isEmpty() ? null : judges.first(),
        iteration,
        goldSource,
        byItem.size(),
        withGold,
        new Share(ok, samples),
        new Share(right, scored),
        new Mean(scored, absError),
        kappa(sampleScores, goldScores, KappaWeights.quadraticByValue()),
        kappa(sampleScores, goldScores, KappaWeights.linearByValue()),
        new Share(unanimous, multi),
        new Mean(multi, agreementSum));
  }

  /**
   * By score value, not category index: with observed categories only, an unused score of the scale would otherwise
   * shrink the distance between its neighbours.
   */
  private static Kappa kappa(List<Integer> scores, List<Integer> gold, KappaWeights weights) {
    if (scores.isEmpty()) {
      return new Kappa(weights.name(), 0, null);
    }
    int[] a = scores.stream().mapToInt(Integer::intValue).toArray();
    int[] b = gold.stream().mapToInt(Integer::intValue).toArray();
    double k = CohenKappa.of(a, b, weights).kappa();
    return new Kappa(weights.name(), a.length, Double.isNaN(k) ? null : k);
  }

  /** Pretty JSON, keys sorted, as written to {@code metrics.json}. */
  public String toJson() {
    return Json.pretty(this);
  }

  /** Writes {@link #toJson()} to {@code file}, creating its folder. */
  public void write(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads what {@link #write} wrote. */
  public static RationalizationMetrics read(Path file) {
    try {
      return Json.parse(Files.readString(file), RationalizationMetrics.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
