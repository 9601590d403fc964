package dev.assay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.sim.SimCalibration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./assay bench calibration}: the simulator's default judges measured ({@link SimCalibration}) beside the
 * published figures about real judges they are calibrated to, each with a tolerance (SIMULATOR.md).
 *
 * <p>Two published figures are measured from the real data when {@code shared/data} is present (prometheus-eval's
 * three GPT-4 samples per MT-Bench item; LLMBar's ChatGPT swap consistency in its {@code statistics.json}); without
 * it the figure quoted in {@code shared/data/SOURCES.md} or the LLMBar paper's file is used and the row says so.
 */
public final class CalibrationBenchmark {
  /** Items of the committed table (the issue asks for at least 5,000). */
  public static final int DEFAULT_ITEMS = 5_000;

  /** Item seed of the committed table. */
  public static final long DEFAULT_SEED = 1;

  static final String PROMETHEUS_MT_BENCH = "prometheus-eval/mt_bench_eval.json";
  static final String LLMBAR_CHATGPT = "llmbar-natural/evaluators/ChatGPT/Vanilla/statistics.json";

  /**
   * One published figure and the simulated judge that should reproduce it.
   *
   * @param figure what is measured
   * @param source the real judge and where the figure is published
   * @param published the published value, in [0, 1]
   * @param judge the simulated judge's model id
   * @param tolerance how far the simulated value may lie from the published one, in [0, 1]
   * @param measure reads the simulated value from the judge's figures
   */
  public record Target(
      String figure,
      String source,
      double published,
      String judge,
      double tolerance,
      ToDoubleFunction<SimCalibration.Figures> measure) {}

  /** A target with the simulated value measured. */
  public record Row(Target target, double measured) {
    public boolean within(double toleranceFactor) {
      return Math.abs(measured - target.published()) <= target.tolerance() * toleranceFactor + 1e-12;
    }
  }

  private CalibrationBenchmark() {}

  /**
   * The targets, with the two data-derived figures read from {@code sharedData} when it holds them.
   *
   * @param sharedData the {@code shared/data} folder, or null when absent
   */
  public static List<Target> targets(Path sharedData) {
    String mt = "GPT-4 vs MT-Bench experts, MT-Bench paper Table 5";
    String fc = "GPT-4 on MT-Bench pairs, FastChat issue #3911";
    List<Target> t = new ArrayList<>();
    t.add(new Target("agreement with the truth, ties a class", mt + " (S1)", 0.66, "sim-m1", 0.03,
        SimCalibration.Figures::agreementWithTies));
    t.add(new Target("agreement with the truth, without ties", mt + " (S2)", 0.85, "sim-m1", 0.03,
        SimCalibration.Figures::agreementWithoutTies));
    t.add(new Target("verdict flips when the answers swap seats", fc, 0.129, "sim-m1", 0.03,
        SimCalibration.Figures::swapFlips));
    t.add(new Target("answer shown first wins", fc, 0.526, "sim-m1", 0.03, SimCalibration.Figures::firstShownWins));
    t.add(new Target("longer answer wins", fc, 0.68, "sim-m1", 0.03, SimCalibration.Figures::longerWins));
    double[] samples = prometheusAllAgree(sharedData);
    t.add(new Target("three sampled scores agree (1-5, reference shown)",
        "GPT-4 on prometheus-eval's MT-Bench items, " + count(samples), samples[0] / samples[1], "sim-m1", 0.03,
        SimCalibration.Figures::allSamplesAgree));
    double[] swap = llmbarEqual(sharedData);
    t.add(new Target("same verdict in both orders",
        "ChatGPT (Vanilla) on LLMBar natural, statistics.json, " + count(swap), swap[0] / swap[1], "sim-m0", 0.05,
        f -> 1 - f.swapFlips()));
    return List.copyOf(t);
  }

  private static String count(double[] partWholeMeasured) {
    return (int) partWholeMeasured[0] + " / " + (int) partWholeMeasured[1]
        + (partWholeMeasured[2] == 1 ? "" : " as quoted (data absent)");
  }

  /**
   * {all-three-agree items, items, 1 if measured from the file} for prometheus-eval's MT-Bench GPT-4 judgments; the
   * figure SOURCES.md quotes (141 / 320) when the file is absent.
   */
  static double[] prometheusAllAgree(Path sharedData) {
    Path file = sharedData == null ? null : sharedData.resolve(PROMETHEUS_MT_BENCH);
    if (file == null || !Files.isRegularFile(file)) {
      return new double[] {141, 320, 0};
    }
    int agree = 0;
    List<PrometheusEvalImport.Item> items = PrometheusEvalImport.read(file).items();
    for (PrometheusEvalImport.Item item : items) {
      agree += new HashSet<>(item.scores()).size() == 1 ? 1 : 0;
    }
    return new double[] {agree, items.size(), 1};
  }

  private static final Pattern COUNT = Pattern.compile("^\\s*(\\d+)\\s*/\\s*(\\d+)");

  /** {equal, items, 1 if read from the file} of LLMBar's ChatGPT Vanilla statistics; 71 / 100 when absent. */
  static double[] llmbarEqual(Path sharedData) {
    Path file = sharedData == null ? null : sharedData.resolve(LLMBAR_CHATGPT);
    if (file == null || !Files.isRegularFile(file)) {
      return new double[] {71, 100, 0};
    }
    try {
      JsonNode root = Json.mapper().readTree(Files.readString(file));
      Matcher m = COUNT.matcher(root.path("equal").asText(""));
      if (!m.find()) {
        throw new IllegalStateException(file + ": field equal is not 'N / M = ...': " + root.path("equal"));
      }
      return new double[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Measures every target's judge once on {@code items} items of the default simulator. */
  public static List<Row> measure(List<Target> targets, int items, long seed) {
    SimCalibration calibration = SimCalibration.defaults();
    Map<String, SimCalibration.Figures> byJudge = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    for (Target t : targets) {
      SimCalibration.Figures f = byJudge.computeIfAbsent(t.judge(), j -> calibration.measure(j, items, seed));
      rows.add(new Row(t, t.measure().applyAsDouble(f)));
    }
    return rows;
  }

  /** The table as SIMULATOR.md shows it (Markdown), one line per target. */
  public static String format(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| figure | real judge, source | published | simulated judge | measured | tolerance | within |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      Target t = r.target();
      b.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %s | %.1f%% | +-%.0f points | %s |%n",
          t.figure(), t.source(), 100 * t.published(), t.judge(), 100 * r.measured(), 100 * t.tolerance(),
          r.within(1) ? "yes" : "NO"));
    }
    return b.toString();
  }

  /** The lines under the table: what the run measured on and how the truth was read. */
  public static String footer(int items, long seed, List<Row> rows) {
    long outside = rows.stream().filter(r -> !r.within(1)).count();
    return String.format(Locale.ROOT,
        "%d items, seed %d; truth tie: true qualities within %.2f; %s%n", items, seed,
        SimCalibration.TRUTH_TIE_MARGIN, outside == 0 ? "every figure within its tolerance" : outside + " outside");
  }
}
