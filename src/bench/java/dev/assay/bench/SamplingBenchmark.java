package dev.assay.bench;

import dev.assay.curation.pairs.PreferencePair;
import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.ledger.LedgerEntry;
import dev.assay.llm.ChatResponse;
import dev.assay.run.RunDirectory;
import dev.assay.sim.SimWorld;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ./assay bench sampling}: what a kept pair costs under four ways of sampling the absolute judges of the
 * self-rewarding recipe ({@code pipelines/self-rewarding.yaml}: judges {@code self} and {@code previous}), run
 * end to end on the in-process SIMULATOR, which knows each response's true quality: fixed {@code n = 3}, fixed
 * {@code n = 5}, adaptive ({@code n_min} to {@code n_max}, {@link dev.assay.judging.AdaptiveSampling}), and
 * {@code n = 5} asked in one request ({@code n_per_request}).
 *
 * <p>Per seed (the recipe's seed, which draws every generation and judge sample, and the prompts' wording) the
 * {@code n = 5} run goes first; the others then start from a ledger holding that run's answers to everything but the
 * absolute judges (generation, pairwise judge, log-probs), which every mode asks alike, so only the judges are paid
 * again. What is measured, per mode: absolute-judge samples (judgments of {@code self} and {@code previous}),
 * requests and prompt and completion tokens (the run's fresh ledger entries of those judges), their cost at the
 * stated prices, kept pairs ({@code pairs/pairs.jsonl}) and the share of kept pairs whose chosen response is truly
 * better ({@link SimWorld#trueQuality}). Failure modes: {@link IllegalStateException} when a run exits non-zero
 * (its output is printed).
 */
final class SamplingBenchmark {
  /** The modes, in the order they run per seed ({@code n5} first: the others reuse its shared answers). */
  static final List<String> MODES = List.of("n5", "n3", "adaptive", "n5-per-request");

  /** The recipe's absolute judges, in the order of its {@code judges:} list. */
  static final List<String> JUDGES = List.of("self", "previous");

  /** A marker only the absolute template's rendered request holds (configs/templates/absolute.yaml). */
  private static final String ABSOLUTE_MARKER = "###Response to evaluate";
  private static final String SHARED_LEDGER = "shared-from-n5.jsonl";
  /** Beside the {@code n5} run: each candidate's hidden quality ({@link #writeTruth}). */
  static final String TRUTH = "truth.tsv";

  /**
   * @param prompts prompts per run (each answered k = 4 times)
   * @param seeds the recipe seeds
   * @param modes which of {@link #MODES}
   * @param adaptive the {@code adaptive:} settings (e.g. {@code n_min} to {@code 2}), for both judges; a key
   *     prefixed with a judge's name and a dot ({@code previous.n_min}) sets that judge's alone and wins over the
   *     unprefixed one
   * @param inputPrice dollars per million prompt tokens
   * @param outputPrice dollars per million completion tokens
   * @param work folder for prompts and runs (kept)
   * @param runner the {@code --runner} of every run
   */
  record Settings(
      int prompts, List<Long> seeds, List<String> modes, Map<String, String> adaptive, double inputPrice,
      double outputPrice, Path work, String runner) {
    Settings {
      if (prompts < 2) {
        throw new IllegalArgumentException("--prompts must be at least 2: " + prompts);
      }
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("--seeds: give at least one seed");
      }
      for (String m : modes) {
        if (!MODES.contains(m)) {
          throw new IllegalArgumentException("--modes: unknown mode " + m + " (known: " + String.join(", ", MODES) + ")");
        }
      }
      for (String key : adaptive.keySet()) {
        int dot = key.indexOf('.');
        if (dot >= 0 && !JUDGES.contains(key.substring(0, dot))) {
          throw new IllegalArgumentException("--adaptive: " + key + " names no judge (known: " + String.join(", ", JUDGES) + ")");
        }
      }
      seeds = List.copyOf(seeds);
      modes = List.copyOf(modes);
      adaptive = Map.copyOf(adaptive);
      Objects.requireNonNull(work, "work");
    }
  }

  /** One run's figures. */
  record Row(
      String mode, long seed, long samples, long requests, long promptTokens, long completionTokens, double cost,
      long keptPairs, long trulyBetter) {
    double trulyBetterRate() {
      return keptPairs == 0 ? Double.NaN : (double) trulyBetter / keptPairs;
    }

    long billedTokens() {
      return promptTokens + completionTokens;
    }
  }

  private final Settings settings;
  private final Path project;
  private final PrintStream out;

  SamplingBenchmark(Settings settings, Path project, PrintStream out) {
    this.settings = settings;
    this.project = project;
    this.out = out;
  }

  List<Row> run() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      out.println("SIMULATOR " + sim.baseUrl() + ": every answer below is simulated");
      for (long seed : settings.seeds()) {
        Path seedDir = settings.work().resolve("seed-" + seed);
        Files.createDirectories(seedDir);
        Path prompts = writePrompts(project.resolve("pipelines/data/topics-80.jsonl"), seedDir.resolve("prompts.jsonl"), settings.prompts(), seed);
        List<String> modes = new ArrayList<>(settings.modes());
        // n5 runs first whenever another mode runs, so that they can start from its shared answers.
        if (!modes.contains("n5")) {
          modes.add(0, "n5");
        }
        modes.sort(java.util.Comparator.comparingInt(MODES::indexOf));
        Path n5 = seedDir.resolve("n5");
        for (String mode : modes) {
          Path runDir = seedDir.resolve(mode);
          long t0 = System.nanoTime();
          if (!mode.equals("n5")) {
            shareLedger(n5.resolve("ledger"), runDir.resolve("ledger"));
          }
          run(sim, prompts, seed, mode, runDir);
          Row row = measure(mode, seed, runDir);
          if (settings.modes().contains(mode)) {
            rows.add(row);
          }
          out.printf(Locale.ROOT, "seed %d %-15s %7d samples %7d requests %9d tokens $%.4f  %5d kept  %.1f%% truly better  (%.0f s)%n",
              seed, mode, row.samples(), row.requests(), row.billedTokens(), row.cost(), row.keptPairs(),
              100 * row.trulyBetterRate(), (System.nanoTime() - t0) / 1e9);
        }
      }
    }
    return rows;
  }

  private void run(Simulator sim, Path prompts, long seed, String mode, Path runDir) {
    List<String> sets = new ArrayList<>();
    for (int judge = 0; judge < JUDGES.size(); judge++) {
      String j = "judges." + judge + ".";
      switch (mode) {
        case "n3" -> sets.add(j + "n=3");
        case "n5" -> sets.add(j + "n=5");
        case "n5-per-request" -> {
          sets.add(j + "n=5");
          sets.add(j + "n_per_request=true");
        }
        case "adaptive" -> adaptiveOf(JUDGES.get(judge)).forEach((k, v) -> sets.add(j + "adaptive." + k + "=" + v));
        default -> throw new IllegalArgumentException(mode);
      }
    }
    SimulatedRecipeRun.run(project, sim.baseUrl(), prompts, seed, runDir, settings.runner(), sets, "bench sampling: " + mode + " seed " + seed);
  }

  /** One judge's {@code adaptive:} settings: the unprefixed keys, then those prefixed with its name. */
  Map<String, String> adaptiveOf(String judge) {
    Map<String, String> out = new java.util.TreeMap<>();
    settings.adaptive().forEach((k, v) -> {
      if (k.indexOf('.') < 0) {
        out.put(k, v);
      }
    });
    settings.adaptive().forEach((k, v) -> {
      if (k.startsWith(judge + ".")) {
        out.put(k.substring(judge.length() + 1), v);
      }
    });
    return out;
  }

  /** Prompts from the recipe's 80 topics, each worded per seed and index, so each seed's prompt set is its own. */
  static Path writePrompts(Path source, Path file, int n, long seed) throws IOException {
    List<String> topics = new ArrayList<>();
    for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
      topics.add(Json.mapper().readTree(line).get("prompt").asText());
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("id", String.format(Locale.ROOT, "p%05d", i));
        p.put("prompt", topics.get(i % topics.size()) + " (case " + seed + "-" + i + ")");
        w.write(Json.line(p));
        w.write('\n');
      }
    }
    return file;
  }

  /** Copies every answer of the n5 run but the absolute judges' into a new run's ledger, as one shard. */
  private static void shareLedger(Path from, Path to) throws IOException {
    if (Files.isDirectory(to)) {
      dev.assay.io.Folders.deleteRecursively(to.getParent());
    }
    Files.createDirectories(to);
    try (BufferedWriter w = Files.newBufferedWriter(to.resolve(SHARED_LEDGER), StandardCharsets.UTF_8)) {
      for (String line : LedgerProbe.lines(from)) {
        if (!line.contains(ABSOLUTE_MARKER)) {
          w.write(line);
          w.write('\n');
        }
      }
    }
  }

  /**
   * The simulator's hidden quality of each candidate, {@code id<TAB>quality} per line, beside the {@code n5} run:
   * what {@code bench/sampling_replay.py --truth} reads to replay other rules' truly-better rates offline.
   */
  private static void writeTruth(Path file, Map<String, String> responses) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, String> c : responses.entrySet()) {
        w.write(c.getKey() + "\t" + SimWorld.trueQuality(c.getValue()) + "\n");
      }
    }
  }



  private Row measure(String mode, long seed, Path runDir) throws IOException {
    RunDirectory dir = new RunDirectory(runDir);
    long[] samples = {0};
    dir.forEach("judgments", "judgments.jsonl", Judgment.class, j -> {
      if (j.judge().equals("self") || j.judge().equals("previous")) {
        samples[0]++;
      }
    });
    long requests = 0;
    long prompt = 0;
    long completion = 0;
    for (String line : LedgerProbe.lines(runDir.resolve("ledger"), SHARED_LEDGER)) {
      if (!line.contains(ABSOLUTE_MARKER)) {
        continue;
      }
      LedgerEntry e = Json.parse(line, LedgerEntry.class);
      ChatResponse r = Json.parse(e.response(), ChatResponse.class);
      requests++;
      prompt += r.usage().promptTokens();
      completion += r.usage().completionTokens();
    }
    Map<String, String> responses = new LinkedHashMap<>();
    dir.forEach("candidates", "candidates.jsonl", Candidate.class, c -> responses.put(c.id(), c.response()));
    if (mode.equals("n5")) {
      writeTruth(runDir.resolve(TRUTH), responses);
    }
    long kept = 0;
    long better = 0;
    for (PreferencePair p : dir.read("pairs", "pairs.jsonl", PreferencePair.class)) {
      kept++;
      better += SimWorld.trueQuality(responses.get(p.chosenId())) > SimWorld.trueQuality(responses.get(p.rejectedId())) ? 1 : 0;
    }
    double cost = (prompt * settings.inputPrice() + completion * settings.outputPrice()) / 1e6;
    return new Row(mode, seed, samples[0], requests, prompt, completion, cost, kept, better);
  }

  /** Mean and 95% t-interval half-width over the seeds; half-width NaN with one seed. */
  static double[] meanAndHalfWidth(List<Double> values) {
    int n = values.size();
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    if (n < 2) {
      return new double[] {mean, Double.NaN};
    }
    double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    double t = dev.assay.stats.Distributions.studentTQuantile(0.975, n - 1);
    return new double[] {mean, t * Math.sqrt(ss / (n - 1)) / Math.sqrt(n)};
  }

  /** The table: per mode, each figure's mean over seeds with its 95% t-interval, then adaptive against n = 5. */
  static String format(List<Row> rows, Settings s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "prices: $%.2f per million prompt tokens, $%.2f per million completion tokens; %d prompts x 4 responses; seeds %s; interval: 95%% t over seeds%n",
        s.inputPrice(), s.outputPrice(), s.prompts(), s.seeds()));
    b.append("| mode | judge samples | requests | prompt tokens | completion tokens | cost ($) | kept pairs | truly better (%) |\n");
    b.append("|---|---|---|---|---|---|---|---|\n");
    Map<String, List<Row>> byMode = new LinkedHashMap<>();
    for (String m : MODES) {
      rows.stream().filter(r -> r.mode().equals(m)).forEach(r -> byMode.computeIfAbsent(m, k -> new ArrayList<>()).add(r));
    }
    byMode.forEach((mode, rs) -> b.append("| ").append(mode)
        .append(" | ").append(cell(rs, r -> (double) r.samples(), "%.0f"))
        .append(" | ").append(cell(rs, r -> (double) r.requests(), "%.0f"))
        .append(" | ").append(cell(rs, r -> (double) r.promptTokens(), "%.0f"))
        .append(" | ").append(cell(rs, r -> (double) r.completionTokens(), "%.0f"))
        .append(" | ").append(cell(rs, Row::cost, "%.4f"))
        .append(" | ").append(cell(rs, r -> (double) r.keptPairs(), "%.0f"))
        .append(" | ").append(cell(rs, r -> 100 * r.trulyBetterRate(), "%.2f"))
        .append(" |\n"));
    List<Row> base = byMode.get("n5");
    List<Row> adaptive = byMode.get("adaptive");
    if (base != null && adaptive != null && base.size() == adaptive.size()) {
      List<Double> samples = new ArrayList<>();
      List<Double> tokens = new ArrayList<>();
      List<Double> kept = new ArrayList<>();
      List<Double> better = new ArrayList<>();
      for (int i = 0; i < base.size(); i++) {
        Row n5 = base.get(i);
        Row a = adaptive.get(i);
        samples.add((double) a.samples() / n5.samples());
        tokens.add((double) a.billedTokens() / n5.billedTokens());
        kept.add((double) a.keptPairs() / n5.keptPairs());
        better.add(100 * (a.trulyBetterRate() - n5.trulyBetterRate()));
      }
      b.append(String.format(Locale.ROOT,
          "adaptive / n5, paired by seed: judge samples %s, billed tokens %s, kept pairs %s, truly-better rate %s points%n",
          pm(samples, "%.3f"), pm(tokens, "%.3f"), pm(kept, "%.3f"), pm(better, "%+.2f")));
      b.append(String.format(Locale.ROOT,
          "target (issue 16): samples and tokens <= 0.600, kept pairs within 0.98-1.02, truly-better within 1 point: %s%n",
          meets(samples, tokens, kept, better) ? "met (on the means)" : "not met (on the means)"));
    }
    return b.toString();
  }

  private static boolean meets(List<Double> samples, List<Double> tokens, List<Double> kept, List<Double> better) {
    double s = meanAndHalfWidth(samples)[0];
    double t = meanAndHalfWidth(tokens)[0];
    double k = meanAndHalfWidth(kept)[0];
    double d = meanAndHalfWidth(better)[0];
    return s <= 0.6 && t <= 0.6 && Math.abs(k - 1) <= 0.02 && Math.abs(d) <= 1.0;
  }

  private static String cell(List<Row> rows, java.util.function.ToDoubleFunction<Row> f, String format) {
    return pm(rows.stream().map(r -> f.applyAsDouble(r)).toList(), format);
  }

  private static String pm(List<Double> values, String format) {
    double[] m = meanAndHalfWidth(values);
    String mean = String.format(Locale.ROOT, format, m[0]);
    return Double.isNaN(m[1]) ? mean : mean + " ± " + String.format(Locale.ROOT, format.replace("+", ""), m[1]);
  }
}
