package dev.assay.consistency;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The running totals behind a {@link ConsistencySummary}: what happened to each prompt, and the sum of the defined
 * C(x). Immutable; {@link #plus}, {@link #plusFailed} and {@link #merge} return new tallies, and merging is
 * associative and commutative, so tallies of shards combine in any order.
 *
 * <p>Why the sum is a {@link BigDecimal}: every double is exactly a decimal, so the sum is exact and independent of
 * the order prompts arrive in. A double sum would differ in the last bits between runners and reruns, and published
 * outputs must be byte-identical on a rerun.
 *
 * @param kept prompts passed on
 * @param rejected prompts filtered out
 * @param failed prompts that could not be measured (bad input for the stage; see {@link MeasureConsistency})
 * @param defined measured prompts with a defined C(x)
 * @param undefinedReasons measured prompts with an undefined C(x), per {@link PromptConsistency#undefinedReason()}
 * @param rejections rejected prompts per reason code
 * @param failures failed prompts per error class
 * @param consistencySum the exact sum of the defined C(x)
 * @param histogram defined C(x) per bin of width 1/{@value ConsistencySummary#BINS}
 */
public record ConsistencyTally(
    long kept,
    long rejected,
    long failed,
    long defined,
    Map<String, Long> undefinedReasons,
    Map<String, Long> rejections,
    Map<String, Long> failures,
    BigDecimal consistencySum,
    List<Long> histogram) {
  public ConsistencyTally {
    undefinedReasons = Collections.unmodifiableMap(new TreeMap<>(undefinedReasons));
    rejections = Collections.unmodifiableMap(new TreeMap<>(rejections));
    failures = Collections.unmodifiableMap(new TreeMap<>(failures));
    Objects.requireNonNull(consistencySum, "consistencySum");
    histogram = List.copyOf(histogram);
    if (histogram.size() != ConsistencySummary.BINS) {
      throw new IllegalArgumentException("histogram must have " + ConsistencySummary.BINS + " bins: " + histogram);
    }
  }

  /** Nothing counted yet. */
  public static ConsistencyTally empty() {
    return new ConsistencyTally(
        0, 0, 0, 0, Map.of(), Map.of(), Map.of(), BigDecimal.ZERO,
        Collections.nCopies(ConsistencySummary.BINS, 0L));
  }

  /** Adds a measured prompt that was kept. */
  public ConsistencyTally plusKept(PromptConsistency p) {
    return plus(p, null);
  }

  /**
   * Adds a measured prompt.
   *
   * @param rejectedFor the reason code when the prompt was rejected, null when it was kept
   */
  public ConsistencyTally plus(PromptConsistency p, String rejectedFor) {
    Map<String, Long> undefined = undefinedReasons;
    long def = defined;
    BigDecimal sum = consistencySum;
    List<Long> hist = histogram;
    if (p.defined()) {
      def++;
      sum = sum.add(new BigDecimal(p.consistency()));
      hist = new ArrayList<>(histogram);
      int bin = ConsistencySummary.binOf(p.consistency());
      hist.set(bin, hist.get(bin) + 1);
    } else {
      undefined = increment(undefinedReasons, p.undefinedReason(), 1);
    }
    return new ConsistencyTally(
        rejectedFor == null ? kept + 1 : kept,
        rejectedFor == null ? rejected : rejected + 1,
        failed,
        def,
        undefined,
        rejectedFor == null ? rejections : increment(rejections, rejectedFor, 1),
        failures,
        sum,
        hist);
  }

  /** Adds a prompt that could not be measured, by the error's class name. */
  public ConsistencyTally plusFailed(String errorClass) {
    return new ConsistencyTally(
        kept, rejected, failed + 1, defined, undefinedReasons, rejections, increment(failures, errorClass, 1),
        consistencySum, histogram);
  }

  /** The sum of two tallies. */
  public ConsistencyTally merge(ConsistencyTally o) {
    List<Long> hist = new ArrayList<>(histogram);
    for (int i = 0; i < hist.size(); i++) {
      hist.set(i, hist.get(i) + o.histogram.get(i));
    }
    return new ConsistencyTally(
        kept + o.kept,
        rejected + o.rejected,
        failed + o.failed,
        defined + o.defined,
        mergeCounts(undefinedReasons, o.undefinedReasons),
        mergeCounts(rejections, o.rejections),
        mergeCounts(failures, o.failures),
        consistencySum.add(o.consistencySum),
        hist);
  }

  /** The set-level figures. */
  public ConsistencySummary summary() {
    Double c = null;
    Double tau = null;
    if (defined > 0) {
      BigDecimal n = BigDecimal.valueOf(defined);
      c = consistencySum.divide(n, MathContext.DECIMAL128).doubleValue();
      // mean tau_b = 2 mean C - 1, from the exact sum rather than from the rounded C.
      tau = consistencySum.multiply(BigDecimal.valueOf(2)).subtract(n).divide(n, MathContext.DECIMAL128).doubleValue();
    }
    long undefined = undefinedReasons.values().stream().mapToLong(Long::longValue).sum();
    return new ConsistencySummary(
        kept + rejected + failed,
        defined + undefined,
        defined,
        undefined,
        undefinedReasons,
        kept,
        rejected,
        failed,
        rejections,
        failures,
        c,
        c == null ? null : 1 - c,
        tau,
        histogram);
  }

  private static Map<String, Long> increment(Map<String, Long> counts, String key, long by) {
    Map<String, Long> out = new TreeMap<>(counts);
    out.merge(key, by, Long::sum);
    return out;
  }

  private static Map<String, Long> mergeCounts(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Long::sum));
    return out;
  }
}
