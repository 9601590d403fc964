package dev.assay.cli;

import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.SampleAgreement;
import dev.assay.pipeline.RecipeRunner;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.pipeline.Rounds;
import dev.assay.pipeline.RunResult;
import dev.assay.ranking.RankingSummary;
import dev.assay.run.EndpointUsage;
import dev.assay.report.ReportWriter;
import dev.assay.run.PreflightCheck;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./assay demo}: the whole first slice on the embedded simulator, no network: generate K responses per demo
 * prompt, judge each N times, write a run directory and print a summary.
 *
 * <p>Without {@code --resume} the output folder is started afresh; with it, the folder's ledger answers every
 * request it already holds (a finished demo resumes with zero requests and byte-identical outputs).
 */
@Command(name = "demo", description = "Run the demo recipe on the embedded simulator (no network needed).")
final class DemoCommand implements Callable<Integer> {
  /** The recipe the demo runs, relative to the project root. */
  static final Path RECIPE = Path.of("pipelines", "demo.yaml");

  @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/demo)")
  Path out = Path.of("runs", "demo");

  @Option(names = "--resume", description = "reuse the ledger in --out: completed requests are not sent again")
  boolean resume;

  @Option(
      names = "--break-lock",
      description =
          "take over --out when its run.lock names a process on another host (that cannot be checked from here);"
              + " only when that process is known to be gone")
  boolean breakLock;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a demo setting (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description =
          "simulated self-rewarding iterations, 1 to " + MAX_ITERATIONS + " (the simulator serves sim-m0..sim-m"
              + MAX_ITERATIONS + "); iteration t runs in --out/iter-t with policy and judge sim-m<t> and previous"
              + " sim-m<t-1>. Default 1: one run directly in --out")
  int iterations = 1;

  @Option(
      names = "--progress",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "show progress on stderr while running (default: on; --no-progress to silence)")
  boolean progress;

  @Mixin RunnerOptions runner = new RunnerOptions();

  @Mixin LedgerOption ledger = new LedgerOption();

  /** The simulator serves sim-m0..sim-m3, and iteration t needs sim-m(t-1) as its previous model. */
  static final int MAX_ITERATIONS = 3;

  @Override
  public Integer call() throws IOException {
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      System.err.println(
          "assay: --iterations must be 1.." + MAX_ITERATIONS + " (the simulator serves sim-m0..sim-m" + MAX_ITERATIONS
              + "): " + iterations);
      return Main.BAD_INPUT;
    }
    return runDemo(
        out, resume, ledger.withSets(sets), SimulatorConfig.defaults(), System.out, iterations, progress, runner.choice(),
        breakLock);
  }

  /** The demo against a simulator with {@code simConfig}, one iteration, no progress line; returns the exit code. */
  static int runDemo(Path out, boolean resume, List<String> sets, SimulatorConfig simConfig, PrintStream console)
      throws IOException {
    return runDemo(out, resume, sets, simConfig, console, 1, false, RunnerChoice.direct(), false);
  }

  /** The demo for {@code iterations} rounds on the direct runner. */
  static int runDemo(
      Path out, boolean resume, List<String> sets, SimulatorConfig simConfig, PrintStream console, int iterations, boolean progress)
      throws IOException {
    return runDemo(out, resume, sets, simConfig, console, iterations, progress, RunnerChoice.direct(), false);
  }

  /**
   * The demo for {@code iterations} rounds against one simulator; returns the first non-zero exit code (the rounds
   * stop there: a later iteration builds on an earlier one), else 0. One round runs directly in {@code out}, as the
   * demo always did; more run in {@code out/iter-t}. {@code breakLock} takes over a run directory locked from another
   * host ({@code --break-lock}).
   */
  static int runDemo(
      Path out,
      boolean resume,
      List<String> sets,
      SimulatorConfig simConfig,
      PrintStream console,
      int iterations,
      boolean progress,
      RunnerChoice runner,
      boolean breakLock)
      throws IOException {
    Path recipe = ProjectHome.resolve(RECIPE);
    List<String> lines = new ArrayList<>();
    try (Simulator sim = Simulator.start(simConfig)) {
      console.println("Assay demo: every model answer comes from the embedded SIMULATOR at " + sim.baseUrl());
      for (int t = 1; t <= iterations; t++) {
        Path dir = iterations == 1 ? out : Rounds.iterationDir(out, t);
        List<String> roundSets = new ArrayList<>();
        if (iterations > 1) {
          // The models change between rounds as training would change them: M_t judges and writes, M_{t-1} is the
          // previous judge and the implicit reward's reference. User --set values still win, applied last.
          roundSets.add("iteration=" + t);
          roundSets.add("endpoints.policy.model=sim-m" + t);
          roundSets.add("endpoints.judge.model=sim-m" + t);
          roundSets.add("endpoints.previous.model=sim-m" + (t - 1));
          roundSets.addAll(anchorJudge(sim.baseUrl()));
          if (t > 1) {
            // Did the round's training help? The pairwise judge compares this policy with the previous one's responses.
            roundSets.add("ranking.judge=pairwise");
          }
        }
        roundSets.addAll(sets);
        LoadedConfig loaded =
            ConfigLoader.load(recipe, List.of(), roundSets, name -> name.equals("ASSAY_SIM_URL") ? sim.baseUrl() : System.getenv(name));
        List<String> notes =
            List.of("simulated: every model answer came from Assay's embedded simulator, not a real model");
        String command =
            "./assay demo --out " + out + (iterations > 1 ? " --iterations " + iterations : "") + (resume ? " --resume" : "");
        Path previous = iterations > 1 && t > 1 ? Rounds.iterationDir(out, t - 1).toAbsolutePath().normalize() : null;
        long servedBefore = sim.servedCount();
        if (iterations > 1) {
          console.println();
          console.println("== iteration " + t + " of " + iterations + ": policy/judge sim-m" + t + ", previous sim-m" + (t - 1));
        }
        RunResult result =
            RecipeRunner.run(loaded, new RecipeRunner.Options(dir, resume, !resume, command, null, notes, previous, progress, runner, breakLock), console);
        summarize(new RunDirectory(dir), result, sim.servedCount() - servedBefore, console);
        lines.add(roundLine(t, new RunDirectory(dir), result));
        if (result.exitCode() != 0) {
          printRounds(lines, console);
          return result.exitCode();
        }
      }
    }
    if (iterations > 1) {
      printRounds(lines, console);
      console.println("report across iterations: " + ReportWriter.writeAcross(out).toAbsolutePath().normalize());
    }
    return 0;
  }

  /**
   * The rounds' anchor judge: a judge of another model than the policy's, the same in every round, that judges the
   * anchor set and a sample of each round's own outputs, so each round reports its self-judge's self-preference.
   */
  private static List<String> anchorJudge(String simUrl) {
    return List.of(
        "endpoints.anchor.base_url=" + simUrl, "endpoints.anchor.model=" + ANCHOR_MODEL, "endpoints.anchor.max_in_flight=64",
        "anchor.judge=anchor");
  }

  /** The simulated model of the rounds' anchor judge: near the truth, without biases. */
  static final String ANCHOR_MODEL = "sim-judge-strict";

  private static void printRounds(List<String> lines, PrintStream console) {
    console.println();
    console.println("iterations:");
    lines.forEach(console::println);
  }

  /** One line per iteration: how consistent the judges of two iterations were, and what was kept. */
  private static String roundLine(int t, RunDirectory dir, RunResult result) {
    var m = result.manifest();
    String c =
        m.labelSmoothing() == null
            ? "C = n/a, label_smoothing = n/a"
            : String.format(Locale.ROOT, "C = %.3f, label_smoothing = %.3f", 1 - m.labelSmoothing(), m.labelSmoothing());
    long pairs = dir.count("pairs", "pairs.jsonl");
    RankingSummary ranking = RankingSummary.read(dir);
    String ranked =
        ranking == null || ranking.winRate() == null
            ? ""
            : String.format(
                Locale.ROOT, ", P(beats iter-%d) = %.3f [%.3f, %.3f]", t - 1, ranking.winRate(), ranking.winRateLower(), ranking.winRateUpper());
    return String.format(Locale.ROOT, "  iter-%d: %s, pairs kept %d%s (%s)", t, c, pairs, ranked, m.status());
  }

  private static void summarize(RunDirectory dir, RunResult result, long served, PrintStream console) {
    console.println();
    console.println("run directory: " + dir.root());
    for (Map.Entry<String, EndpointUsage> e : result.manifest().usage().entrySet()) {
      EndpointUsage u = e.getValue();
      console.printf(
          Locale.ROOT,
          "endpoint %-8s (%s): %d requests sent, %d served from the ledger, %d retries, %d failed, %d tokens%n",
          e.getKey(), u.model(), u.requests(), u.ledgerHits(), u.retries(), u.failures(), u.promptTokens() + u.completionTokens());
    }
    // Preflight's checks (one model list per endpoint, one 1-token probe per capability) are not run requests: a
    // resumed demo replays every run request from the ledger and still checks its endpoints.
    long preflight = result.manifest().preflight().stream().filter(c -> !c.outcome().equals("skipped")).count();
    long preflightHttp = result.manifest().preflight().stream().mapToLong(PreflightCheck::httpRequests).sum();
    console.println(
        "simulator served " + Math.max(0, served - preflightHttp) + " HTTP requests for the run, and " + preflight
            + " preflight checks");
    List<Judgment> judgments = dir.read("judgments", "judgments.jsonl", Judgment.class);
    judgments.stream().map(Judgment::judge).distinct().sorted().forEach(judge -> {
      SampleAgreement a = SampleAgreement.of(judge, judgments);
      String agreement =
          a.items() == 0
              ? "one sample per request"
              : String.format(
                  Locale.ROOT,
                  "its samples of one request agree: unanimous on %d/%d items (%.1f%%), Krippendorff's alpha %.3f",
                  a.unanimous(), a.items(), 100 * a.unanimousRate(),
                  a.alpha(judgments.stream().filter(j -> j.judge().equals(judge)).findFirst().orElseThrow().kind()));
      console.printf(Locale.ROOT, "judge %s: parse rate %.3f (%d/%d ok); %s%n", judge, a.parseRate(), a.ok(), a.requests(), agreement);
    });
    var manifest = result.manifest();
    if (manifest.consistency() != null && manifest.labelSmoothing() != null) {
      console.printf(
          Locale.ROOT,
          "consistency with the previous iteration (CREAM): C = %.3f over %d prompts; label_smoothing = 1 - C = %.3f%n",
          1 - manifest.labelSmoothing(), manifest.consistency().path("defined").asLong(), manifest.labelSmoothing());
    }
    for (String note : manifest.notes()) {
      if (note.startsWith("simulated truth: ")) {
        console.println(note);
      }
    }
    console.println("next: ./assay export " + dir.root() + " --format trl");
  }

}
