package dev.assay.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What keeping a subset of items gains in accuracy: {@code accuracy(kept) - accuracy(all)} over a population of items
 * each right or wrong, with a seeded percentile bootstrap interval whose unit is the item.
 *
 * <p>Each replicate draws {@code n} items of the population with replacement (kept and rejected items together, so
 * the retention varies as it would in a new sample) and computes the same difference; a replicate that drew no kept
 * item has no accuracy of kept and is skipped, and counted. The interval is the replicates' {@code (1-level)/2} and
 * {@code (1+level)/2} quantiles (nearest rank). The same arguments always give the same figures: the draws come from
 * one {@link SplittableRandom} seeded with {@code seed}.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for arrays of different lengths, fewer than 1 replicate, or a
 * level outside (0, 1). An empty population, or one with no kept item, gives NaN estimate and bounds.
 *
 * @param estimate {@code accuracy(kept) - accuracy(all)} on the population itself
 * @param interval the bootstrap interval (NaN bounds when no replicate had a kept item)
 * @param replicates the replicates drawn
 * @param skipped replicates that drew no kept item
 */
public record SubsetGain(double estimate, ConfidenceInterval interval, int replicates, int skipped) {

  /**
   * @param correct whether each item of the population was judged right
   * @param kept whether each item was kept, same length
   * @param replicates bootstrap replicates, >= 1
   * @param seed the seed of the draws
   * @param level the interval's coverage, e.g. 0.95
   */
  public static SubsetGain of(boolean[] correct, boolean[] kept, int replicates, long seed, double level) {
    if (correct.length != kept.length) {
      throw new IllegalArgumentException("correct and kept must have one entry per item: " + correct.length + " vs " + kept.length);
    }
    if (replicates < 1) {
      throw new IllegalArgumentException("replicates must be >= 1: " + replicates);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1): " + level);
    }
    int n = correct.length;
    double estimate = gain(correct, kept, null);
    if (Double.isNaN(estimate)) {
      return new SubsetGain(Double.NaN, new ConfidenceInterval(Double.NaN, Double.NaN, level), replicates, replicates);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] draws = new double[replicates];
    int used = 0;
    int[] sample = new int[n];
    for (int r = 0; r < replicates; r++) {
      for (int i = 0; i < n; i++) {
        sample[i] = random.nextInt(n);
      }
      double g = gain(correct, kept, sample);
      if (!Double.isNaN(g)) {
        draws[used++] = g;
      }
    }
    if (used == 0) {
      return new SubsetGain(estimate, new ConfidenceInterval(Double.NaN, Double.NaN, level), replicates, replicates);
    }
    return new SubsetGain(estimate, PercentileInterval.of(Arrays.copyOf(draws, used), level), replicates, replicates - used);
  }

  /** Whether the interval lies above zero: the subset measurably gained. */
  public boolean measurable() {
    return interval.lower() > 0;
  }

  /** The difference on the items {@code sample} names (all items once when null); NaN without a kept item. */
  private static double gain(boolean[] correct, boolean[] kept, int[] sample) {
    int n = sample == null ? correct.length : sample.length;
    long all = 0;
    long right = 0;
    long keptN = 0;
    long keptRight = 0;
    for (int s = 0; s < n; s++) {
      int i = sample == null ? s : sample[s];
      all++;
      right += correct[i] ? 1 : 0;
      if (kept[i]) {
        keptN++;
        keptRight += correct[i] ? 1 : 0;
      }
    }
    if (all == 0 || keptN == 0) {
      return Double.NaN;
    }
    return (double) keptRight / keptN - (double) right / all;
  }
}
