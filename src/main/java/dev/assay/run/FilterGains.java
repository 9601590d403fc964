package dev.assay.run;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.assay.stats.SubsetGain;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What each pair filter of a run was worth, measured against a truth the run's judges did not see: the manifest's
 * {@code filter_gains}, which the report and the dataset card both render (one source).
 *
 * <p>The population is the run's unfiltered pairs (one per prompt: the primary reward model's best against its worst
 * candidate), each either right (its chosen side is the better one by the truth) or wrong. Each filter row says how
 * many pairs it saw and kept, the right share of its input and of what it kept, and its gain in that share over its
 * input and over the unfiltered set, each with a seeded percentile bootstrap interval whose unit is the pair, that is
 * the prompt ({@link SubsetGain}). A filter that removed pairs and whose interval of gain over its input does not lie
 * above zero is flagged {@code "removed N pairs with no measurable gain"} ({@link #flag}).
 *
 * <p>The consistency section ({@link Mode}) compares CREAM's two ways to use C(x): {@code filter} drops the prompts
 * below the threshold, {@code report} keeps them and carries C(x) per pair (the sidecar's {@code consistency}) and the
 * set-level {@code label_smoothing = 1 - C} to the trainer.
 *
 * <p>Failure modes: {@link IllegalArgumentException} from {@link #row} when the arrays differ in length or a kept pair
 * is not in the input. Figures that have no denominator are null (JSON has no NaN), never 0.
 *
 * @param truth what decides which side is better: {@code simulator} (the simulator's hidden quality) or {@code gold}
 * @param unit the bootstrap's unit ({@code prompt})
 * @param replicates bootstrap replicates per interval
 * @param seed the bootstrap seed
 * @param level the intervals' coverage
 * @param unfiltered pairs in the unfiltered set
 * @param unfilteredRight of those, pairs whose chosen side is the better one
 * @param filters one row per filter, in the order the run applied them; a filter the run only measured (consistency in
 *     report mode) comes last with {@code applied} false
 * @param consistencyModes filter mode against report mode, or empty when the run measured no consistency
 */
public record FilterGains(
    String truth,
    String unit,
    int replicates,
    long seed,
    double level,
    long unfiltered,
    long unfilteredRight,
    List<Row> filters,
    List<Mode> consistencyModes) {
  /** Replicates per interval, as the gold audit draws them. */
  public static final int REPLICATES = 2000;

  /** The bootstrap seed, as the gold audit's. */
  public static final long SEED = 42L;

  public static final double LEVEL = 0.95;

  public FilterGains {
    Objects.requireNonNull(truth, "truth");
    Objects.requireNonNull(unit, "unit");
    filters = List.copyOf(filters);
    consistencyModes = List.copyOf(consistencyModes);
  }

  /**
   * One filter.
   *
   * @param filter its name, e.g. {@code consensus}, {@code consistency C(x) >= 0.6}
   * @param applied whether the run removed the pairs it rejects (false: measured only, what it would remove)
   * @param input pairs it saw
   * @param kept pairs it kept
   * @param removed {@code input - kept}
   * @param retention {@code kept / input}, null with no input
   * @param inputRight pairs of its input whose chosen side is the better one
   * @param keptRight of the kept pairs, those
   * @param rateInput {@code inputRight / input}, null with no input
   * @param rateKept {@code keptRight / kept}, null with nothing kept
   * @param gainOverInput {@code rateKept - rateInput}, interval over the input's pairs
   * @param gainOverUnfiltered {@code rateKept} minus the unfiltered rate, interval over all unfiltered pairs
   * @param flag null, or {@link #flag}'s text
   */
  public record Row(
      String filter,
      boolean applied,
      long input,
      long kept,
      long removed,
      @JsonInclude(ALWAYS) Double retention,
      long inputRight,
      long keptRight,
      @JsonInclude(ALWAYS) Double rateInput,
      @JsonInclude(ALWAYS) Double rateKept,
      Gain gainOverInput,
      Gain gainOverUnfiltered,
      String flag) {}

  /**
   * A gain in the right share, in [-1, 1], with its interval; null figures where nothing was kept.
   *
   * @param estimate on the data
   * @param lower the interval's lower bound
   * @param upper its upper bound
   */
  public record Gain(@JsonInclude(ALWAYS) Double estimate, @JsonInclude(ALWAYS) Double lower, @JsonInclude(ALWAYS) Double upper) {
    static Gain of(SubsetGain g) {
      return new Gain(finite(g.estimate()), finite(g.interval().lower()), finite(g.interval().upper()));
    }

    /** Whether the interval lies above zero. */
    public boolean measurable() {
      return lower != null && lower > 0;
    }
  }

  /**
   * One way of using consistency, with the pairs it hands the trainer.
   *
   * @param mode {@code filter} or {@code report}
   * @param ran whether this run used it (the other is computed from the same files)
   * @param pairs pairs it hands the trainer (after every pair filter)
   * @param right of those, pairs whose chosen side is the better one
   * @param rate {@code right / pairs}, null without pairs
   * @param meanConsistency the mean per-pair C(x) of those pairs (pairs with a defined C(x)), null with none
   * @param labelSmoothing the run's set-level {@code 1 - C}, null when not measured
   * @param rightWaySetLevel the share of the DPO loss's label weight on the better side when the trainer smooths every
   *     pair by {@code labelSmoothing}: {@code (1 - e) rate + e (1 - rate)}; null without pairs or smoothing
   * @param rightWayPerPair the same with each pair smoothed by its own {@code 1 - C(x)} (a pair without C(x) unsmoothed);
   *     null without pairs
   */
  public record Mode(
      String mode,
      boolean ran,
      long pairs,
      long right,
      @JsonInclude(ALWAYS) Double rate,
      @JsonInclude(ALWAYS) Double meanConsistency,
      @JsonInclude(ALWAYS) Double labelSmoothing,
      @JsonInclude(ALWAYS) Double rightWaySetLevel,
      @JsonInclude(ALWAYS) Double rightWayPerPair) {}

  /**
   * The flag of a filter that removed pairs without a gain its interval can tell from zero: {@code "removed N pairs
   * with no measurable gain"} when it removed pairs and the interval of its gain over its input includes zero or lies
   * below it (or there is none); null when it removed nothing or its interval lies above zero.
   */
  public static String flag(long removed, Gain gainOverInput) {
    return removed > 0 && !gainOverInput.measurable() ? "removed " + removed + " pairs with no measurable gain" : null;
  }

  /**
   * Measures one filter.
   *
   * @param right per unfiltered pair, whether its chosen side is the better one
   * @param input per unfiltered pair, whether the filter saw it
   * @param kept per unfiltered pair, whether the filter kept it (only pairs it saw)
   */
  public static Row row(String filter, boolean applied, boolean[] right, boolean[] input, boolean[] kept, int replicates, long seed) {
    if (right.length != input.length || right.length != kept.length) {
      throw new IllegalArgumentException("one entry per unfiltered pair: " + right.length + ", " + input.length + ", " + kept.length);
    }
    int n = right.length;
    int in = 0;
    int k = 0;
    int inRight = 0;
    int keptRight = 0;
    for (int i = 0; i < n; i++) {
      if (kept[i] && !input[i]) {
        throw new IllegalArgumentException("pair " + i + " is kept but not in the filter's input");
      }
      in += input[i] ? 1 : 0;
      k += kept[i] ? 1 : 0;
      inRight += input[i] && right[i] ? 1 : 0;
      keptRight += kept[i] && right[i] ? 1 : 0;
    }
    boolean[] inputRight = new boolean[in];
    boolean[] inputKept = new boolean[in];
    for (int i = 0, j = 0; i < n; i++) {
      if (input[i]) {
        inputRight[j] = right[i];
        inputKept[j++] = kept[i];
      }
    }
    Gain overInput = Gain.of(SubsetGain.of(inputRight, inputKept, replicates, seed, LEVEL));
    Gain overAll = Gain.of(SubsetGain.of(right, kept, replicates, seed, LEVEL));
    return new Row(filter, applied, in, k, in - k, in == 0 ? null : (double) k / in, inRight, keptRight,
        in == 0 ? null : (double) inRight / in, k == 0 ? null : (double) keptRight / k, overInput, overAll,
        flag(in - k, overInput));
  }

  /** The rows that carry a flag. */
  public List<Row> flagged() {
    return filters.stream().filter(r -> r.flag() != null).toList();
  }

  // ---------------------------------------------------------------- text shared by the report and the card

  /** The filter table's column headings. */
  public static List<String> headers() {
    return List.of("filter", "input", "kept", "removed", "retention", "right in input", "right in kept",
        "gain over input [95%]", "gain over unfiltered [95%]", "flag");
  }

  /** The filter table's cells, one list per row, as {@link #headers} orders them. */
  public List<List<String>> cells() {
    List<List<String>> rows = new ArrayList<>();
    for (Row r : filters) {
      rows.add(List.of(r.filter() + (r.applied() ? "" : " (not applied: measured only)"), Long.toString(r.input()),
          Long.toString(r.kept()), Long.toString(r.removed()), pct(r.retention()),
          ratio(r.rateInput(), r.inputRight(), r.input()), ratio(r.rateKept(), r.keptRight(), r.kept()),
          points(r.gainOverInput()), points(r.gainOverUnfiltered()), r.flag() == null ? "" : r.flag()));
    }
    return rows;
  }

  /** The consistency modes' column headings. */
  public static List<String> modeHeaders() {
    return List.of("consistency mode", "pairs to the trainer", "right", "mean C(x) of those pairs", "label_smoothing (set)",
        "loss weight on the better side, set-level smoothing", "loss weight on the better side, per-pair 1 - C(x)");
  }

  /** The consistency modes' cells. */
  public List<List<String>> modeCells() {
    List<List<String>> rows = new ArrayList<>();
    for (Mode m : consistencyModes) {
      rows.add(List.of(m.mode() + (m.ran() ? " (this run)" : " (computed)"), Long.toString(m.pairs()),
          ratio(m.rate(), m.right(), m.pairs()), num(m.meanConsistency()), num(m.labelSmoothing()),
          pct(m.rightWaySetLevel()), pct(m.rightWayPerPair())));
    }
    return rows;
  }

  /** One sentence on what the truth is and how the intervals were drawn. */
  public String caption() {
    String what = truth.equals("simulator")
        ? "the simulator's hidden true quality (the run's judges never see it)"
        : "the items' gold labels";
    return String.format(Locale.ROOT,
        "Right = the chosen side is the better one by %s. Unfiltered: %d pairs, %s right. Gains are in points of the"
            + " right share, with a %d-replicate percentile bootstrap %.0f%% interval over %ss (seed %d). A filter that"
            + " removed pairs with an interval of gain over its input that includes zero or is negative is flagged.",
        what, unfiltered, ratio(unfiltered == 0 ? null : (double) unfilteredRight / unfiltered, unfilteredRight, unfiltered),
        replicates, 100 * level, unit, seed);
  }

  /** A gain in points with its interval, e.g. {@code +1.9 [-0.1, +4.9]}. */
  public static String points(Gain g) {
    if (g.estimate() == null) {
      return "n/a";
    }
    if (g.lower() == null) {
      return String.format(Locale.ROOT, "%+.1f [n/a]", 100 * g.estimate());
    }
    return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", 100 * g.estimate(), 100 * g.lower(), 100 * g.upper());
  }

  private static String ratio(Double rate, long num, long den) {
    return den == 0 ? "n/a (0/0)" : String.format(Locale.ROOT, "%s (%d/%d)", pct(rate), num, den);
  }

  private static String pct(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String num(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static Double finite(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
  }
}
