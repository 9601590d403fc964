package dev.assay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.consistency.ConsistencySpec;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.io.CsvReader;
import dev.assay.io.Json;
import dev.assay.report.FilterSweepChart;
import dev.assay.report.SimulatedTruth;
import dev.assay.run.FilterGains;
import dev.assay.run.RunDirectory;
import dev.assay.run.RunManifest;
import dev.assay.sim.ModelProfile;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * {@code ./assay bench filters}: when do consensus and consistency make the pairs better, and when do they only cost
 * pairs? The stock self-rewarding recipe ({@code pipelines/self-rewarding.yaml}) runs end to end on the in-process
 * SIMULATOR under settings of the knobs that decide it (judge noise, how far the pairwise judge and the implicit reward
 * share the absolute judge's errors, how far iteration t's judge drifted from t-1's), several seeds each. Every run
 * records its filters' gains in truly-better rate with 95% intervals ({@link FilterGains}, the manifest's
 * {@code filter_gains}); the benchmark adds, per setting, the same table pooled over the seeds' prompts
 * ({@link SimulatedTruth#gains(SimulatedTruth.Verdicts, ConsistencySpec, PairSpec, Double, int, long)} on the runs'
 * concatenated pairs), and one row the recipe does not apply: consistency on the pairs the guard passes
 * ({@link #afterGuard}), which tells consistency's own worth apart from the planted hacks. It writes every row to a
 * CSV and the pooled gains over each filter's input to an SVG chart.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for an unknown setting or too few prompts;
 * {@link IllegalStateException} when a run exits non-zero or records no filter gains; {@link IOException} when a file
 * cannot be written; {@link dev.assay.io.InputException} from {@link #readCsv} for a malformed CSV.
 */
final class FilterBenchmark {
  /** The CSV's columns. */
  static final List<String> COLUMNS = List.of("setting", "knob", "value", "seed", "filter", "applied", "input", "kept",
      "removed", "right_input", "right_kept", "gain_over_input", "gain_over_input_lower", "gain_over_input_upper",
      "gain_over_unfiltered", "gain_over_unfiltered_lower", "gain_over_unfiltered_upper", "flag");

  /**
   * One setting of the simulator: a name, the knob it turns and to what, and how it changes the default models. The
   * recipe's models are sim-m1 (policy, its own absolute and pairwise judge, the implicit reward's policy) and sim-m0
   * (the previous iteration's judge for consistency, the implicit reward's reference).
   */
  record Setting(String name, String knob, String value, UnaryOperator<SimulatorConfig> change) {}

  static final List<Setting> SETTINGS = List.of(
      new Setting("calibrated", "none", "defaults", c -> c),
      new Setting("judge-noise-x0.5", "judge noise (sim-m0, sim-m1; absolute and pairwise)", "x0.5", c -> noise(c, 0.5)),
      new Setting("judge-noise-x2", "judge noise (sim-m0, sim-m1; absolute and pairwise)", "x2", c -> noise(c, 2)),
      new Setting("pairwise-share-0", "pairwiseShare (sim-m1)", "0", c -> edit(c, List.of("sim-m1"), b -> b.pairwiseShare(0))),
      new Setting("pairwise-share-1", "pairwiseShare (sim-m1)", "1", c -> edit(c, List.of("sim-m1"), b -> b.pairwiseShare(1))),
      new Setting("implicit-share-0", "implicitShare (sim-m0, sim-m1)", "0", c -> edit(c, List.of("sim-m0", "sim-m1"), b -> b.implicitShare(0))),
      new Setting("implicit-share-0.5", "implicitShare (sim-m0, sim-m1)", "0.5", c -> edit(c, List.of("sim-m0", "sim-m1"), b -> b.implicitShare(0.5))),
      new Setting("drift-0.1", "drift of sim-m1's judge from sim-m0's", "0.1", c -> edit(c, List.of("sim-m1"), b -> b.driftFrom("sim-m0", 0.1))),
      new Setting("drift-0.7", "drift of sim-m1's judge from sim-m0's", "0.7", c -> edit(c, List.of("sim-m1"), b -> b.driftFrom("sim-m0", 0.7))));

  /**
   * @param prompts prompts per run (each answered k = 4 times)
   * @param seeds the recipe seeds (each also words its own prompts)
   * @param settings names from {@link #SETTINGS}
   * @param work folder for prompts and runs (kept)
   * @param runner the {@code --runner} of every run
   */
  record Options(int prompts, List<Long> seeds, List<String> settings, Path work, String runner) {
    Options {
      if (prompts < 20) {
        throw new IllegalArgumentException("--prompts must be at least 20: " + prompts);
      }
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("--seeds: give at least one seed");
      }
      for (String s : settings) {
        setting(s);
      }
      seeds = List.copyOf(seeds);
      settings = List.copyOf(settings);
      Objects.requireNonNull(work, "work");
    }
  }

  /** One filter of one run, or pooled over a setting's runs ({@code seed} "pooled"); gains in points. */
  record Figure(
      String setting, String knob, String value, String seed, String filter, boolean applied, long input, long kept,
      long removed, long rightInput, long rightKept, Double gain, Double lower, Double upper, Double gainAll,
      Double lowerAll, Double upperAll, String flag) {
    List<String> cells() {
      return List.of(setting, knob, value, seed, filter, Boolean.toString(applied), Long.toString(input),
          Long.toString(kept), Long.toString(removed), Long.toString(rightInput), Long.toString(rightKept), num(gain),
          num(lower), num(upper), num(gainAll), num(lowerAll), num(upperAll), flag == null ? "" : flag);
    }

    static Figure of(Setting s, String seed, FilterGains.Row r) {
      return new Figure(s.name(), s.knob(), s.value(), seed, r.filter(), r.applied(), r.input(), r.kept(), r.removed(),
          r.inputRight(), r.keptRight(), points(r.gainOverInput().estimate()), points(r.gainOverInput().lower()),
          points(r.gainOverInput().upper()), points(r.gainOverUnfiltered().estimate()),
          points(r.gainOverUnfiltered().lower()), points(r.gainOverUnfiltered().upper()), r.flag());
    }
  }

  private final Options options;
  private final Path project;
  private final PrintStream out;

  FilterBenchmark(Options options, Path project, PrintStream out) {
    this.options = options;
    this.project = project;
    this.out = out;
  }

  static Setting setting(String name) {
    return SETTINGS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "unknown setting " + name + " (known: " + String.join(", ", SETTINGS.stream().map(Setting::name).toList()) + ")"));
  }

  List<Figure> run() throws IOException {
    List<Figure> figures = new ArrayList<>();
    Map<Long, Path> prompts = new LinkedHashMap<>();
    for (long seed : options.seeds()) {
      Files.createDirectories(options.work());
      prompts.put(seed, SamplingBenchmark.writePrompts(project.resolve("pipelines/data/topics-80.jsonl"),
          options.work().resolve("prompts-" + seed + ".jsonl"), options.prompts(), seed));
    }
    for (String name : options.settings()) {
      Setting s = setting(name);
      List<SimulatedTruth.Verdicts> verdicts = new ArrayList<>();
      ConsistencySpec consistency = null;
      PairSpec pairs = null;
      try (Simulator sim = Simulator.start(s.change().apply(SimulatorConfig.defaults()))) {
        for (long seed : options.seeds()) {
          long t0 = System.nanoTime();
          Path runDir = options.work().resolve(name).resolve("seed-" + seed);
          SimulatedRecipeRun.run(project, sim.baseUrl(), prompts.get(seed), seed, runDir, options.runner(), List.of(),
              "bench filters: " + name + " seed " + seed);
          RunManifest m = Json.mapper().readValue(runDir.resolve(RunDirectory.MANIFEST).toFile(), RunManifest.class);
          if (m.filterGains() == null) {
            throw new IllegalStateException("bench filters: " + runDir + " records no filter gains");
          }
          consistency = Json.mapper().treeToValue(m.config().get("consistency"), ConsistencySpec.class);
          JsonNode p = m.config().get("pairs");
          pairs = p == null ? PairSpec.defaults() : Json.mapper().treeToValue(p, PairSpec.class);
          for (FilterGains.Row r : m.filterGains().filters()) {
            figures.add(Figure.of(s, Long.toString(seed), r));
          }
          SimulatedTruth.Verdicts v = SimulatedTruth.verdicts(new RunDirectory(runDir), consistency, pairs);
          verdicts.add(v);
          figures.add(Figure.of(s, Long.toString(seed), afterGuard(v, consistency)));
          out.printf(Locale.ROOT, "%-20s seed %d: %s (%.0f s)%n", name, seed, summary(m.filterGains()), (System.nanoTime() - t0) / 1e9);
        }
      }
      FilterGains pooled = SimulatedTruth.gains(SimulatedTruth.Verdicts.concat(verdicts), consistency, pairs, null,
          FilterGains.REPLICATES, FilterGains.SEED);
      for (FilterGains.Row r : pooled.filters()) {
        figures.add(Figure.of(s, "pooled", r));
      }
      figures.add(Figure.of(s, "pooled", afterGuard(SimulatedTruth.Verdicts.concat(verdicts), consistency)));
    }
    return figures;
  }

  /**
   * Consistency measured where the guard has already removed the judge-gaming responses: input = the pairs consensus
   * kept whose chosen side the guard passes. Not a step the recipe takes (it filters on consistency first); it tells
   * consistency's own worth apart from the planted hacks, which both judges obey and so agree on.
   */
  static FilterGains.Row afterGuard(SimulatedTruth.Verdicts v, ConsistencySpec consistency) {
    boolean[] input = new boolean[v.size()];
    boolean[] kept = new boolean[v.size()];
    for (int i = 0; i < v.size(); i++) {
      input[i] = v.consensus()[i] && v.guard()[i];
      kept[i] = input[i] && v.consistent()[i];
    }
    return FilterGains.row("consistency C(x) >= " + consistency.threshold() + " after the guard", false, v.right(), input, kept,
        FilterGains.REPLICATES, FilterGains.SEED);
  }

  private static String summary(FilterGains g) {
    List<String> parts = new ArrayList<>();
    for (FilterGains.Row r : g.filters()) {
      parts.add(r.filter().split(" ")[0] + " " + FilterGains.points(r.gainOverInput()));
    }
    return String.join(", ", parts);
  }

  // ---------------------------------------------------------------- figures: CSV, table, chart

  static String csv(List<Figure> figures) {
    StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (Figure f : figures) {
      sb.append(String.join(",", f.cells().stream().map(FilterBenchmark::quote).toList())).append('\n');
    }
    return sb.toString();
  }

  static List<Figure> readCsv(Path file) {
    CsvReader.Table t = CsvReader.readAll(file);
    if (!t.header().equals(COLUMNS)) {
      throw new IllegalArgumentException(file + ": not a bench filters CSV (header " + String.join(",", COLUMNS) + ")");
    }
    List<Figure> out = new ArrayList<>();
    for (CsvReader.Row row : t.rows()) {
      List<String> c = row.values();
      out.add(new Figure(c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), Boolean.parseBoolean(c.get(5)),
          Long.parseLong(c.get(6)), Long.parseLong(c.get(7)), Long.parseLong(c.get(8)), Long.parseLong(c.get(9)),
          Long.parseLong(c.get(10)), dbl(c.get(11)), dbl(c.get(12)), dbl(c.get(13)), dbl(c.get(14)), dbl(c.get(15)),
          dbl(c.get(16)), c.get(17).isEmpty() ? null : c.get(17)));
    }
    return out;
  }

  /**
   * The pooled table: per setting and filter, pairs in and removed, the truly-better share before and after, the
   * pooled gain with its interval, the per-seed estimates, and the flag.
   */
  static String table(List<Figure> figures) {
    StringBuilder sb = new StringBuilder(
        "| setting | filter | input | removed | right in input | right in kept | gain over input [95%] | per seed | flag |\n"
            + "|---|---|---|---|---|---|---|---|---|\n");
    for (Figure f : figures) {
      if (!f.seed().equals("pooled")) {
        continue;
      }
      List<String> seeds = figures.stream()
          .filter(g -> g.setting().equals(f.setting()) && g.filter().equals(f.filter()) && !g.seed().equals("pooled"))
          .map(g -> g.gain() == null ? "n/a" : String.format(Locale.ROOT, "%+.1f", g.gain()))
          .toList();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s | %s | %s |%n", f.setting(), f.filter(),
          f.input(), f.removed(), pct(f.rightInput(), f.input()), pct(f.rightKept(), f.kept()),
          interval(f.gain(), f.lower(), f.upper()), String.join(" / ", seeds), f.flag() == null ? "" : f.flag()));
    }
    return sb.toString();
  }

  /** The chart of the pooled gains over each filter's input, from the figures alone. */
  static String chart(List<Figure> figures) {
    List<FilterSweepChart.Point> points = new ArrayList<>();
    List<String> filters = new ArrayList<>();
    for (Figure f : figures) {
      if (f.seed().equals("pooled") && f.gain() != null && f.lower() != null) {
        points.add(new FilterSweepChart.Point(f.setting(), f.filter(), f.gain(), f.lower(), f.upper()));
        if (!filters.contains(f.filter())) {
          filters.add(f.filter());
        }
      }
    }
    return FilterSweepChart.svg("Gain in truly-better rate over each filter's input, pooled over seeds (95% interval)",
        "gain over the filter's input (points of truly-better rate)", points, filters);
  }

  // ---------------------------------------------------------------- helpers

  /** Scales the absolute and the pairwise judge noise of sim-m0 and sim-m1 by {@code factor}. */
  private static SimulatorConfig noise(SimulatorConfig c, double factor) {
    SimulatorConfig out = c;
    for (String name : List.of("sim-m0", "sim-m1")) {
      ModelProfile p = c.model(name).orElseThrow(() -> new IllegalStateException("no default model " + name));
      out = out.withModel(p.toBuilder().judgeNoise(p.judgeNoise() * factor).pairwiseNoise(p.pairwiseNoise() * factor).build());
    }
    return out;
  }

  private static SimulatorConfig edit(SimulatorConfig c, List<String> models, UnaryOperator<ModelProfile.Builder> change) {
    SimulatorConfig out = c;
    for (String name : models) {
      ModelProfile p = c.model(name).orElseThrow(() -> new IllegalStateException("no default model " + name));
      out = out.withModel(change.apply(p.toBuilder()).build());
    }
    return out;
  }

  private static Double points(Double v) {
    return v == null ? null : 100 * v;
  }

  private static String num(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static Double dbl(String s) {
    return s.isEmpty() ? null : Double.valueOf(s);
  }

  private static String pct(long num, long den) {
    return den == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * num / den);
  }

  private static String interval(Double g, Double lo, Double hi) {
    if (g == null) {
      return "n/a";
    }
    return lo == null ? String.format(Locale.ROOT, "%+.1f [n/a]", g) : String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", g, lo, hi);
  }

  private static String quote(String cell) {
    return cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
  }
}
