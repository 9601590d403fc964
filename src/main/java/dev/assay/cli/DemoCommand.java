package dev.assay.cli;

import dev.assay.config.ConfigLoader;
import dev.assay.config.LoadedConfig;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.SampleAgreement;
import dev.assay.pipeline.RecipeRunner;
import dev.assay.pipeline.RunResult;
import dev.assay.run.EndpointUsage;
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

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a demo setting (repeatable)")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    return runDemo(out, resume, sets, SimulatorConfig.defaults(), System.out);
  }

  /** The demo against a simulator with {@code simConfig}; returns the exit code. */
  static int runDemo(Path out, boolean resume, List<String> sets, SimulatorConfig simConfig, PrintStream console)
      throws IOException {
    Path recipe = ProjectHome.resolve(RECIPE);
    try (Simulator sim = Simulator.start(simConfig)) {
      console.println("Assay demo: every model answer comes from the embedded SIMULATOR at " + sim.baseUrl());
      LoadedConfig loaded =
          ConfigLoader.load(recipe, List.of(), sets, name -> name.equals("ASSAY_SIM_URL") ? sim.baseUrl() : System.getenv(name));
      List<String> notes =
          List.of("simulated: every model answer came from Assay's embedded simulator, not a real model");
      String command = "./assay demo --out " + out + (resume ? " --resume" : "");
      RunResult result =
          RecipeRunner.run(loaded, new RecipeRunner.Options(out, resume, !resume, command, null, notes), console);
      summarize(new RunDirectory(out), result, sim.servedCount(), console);
      return result.exitCode();
    }
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
    console.println("simulator served " + served + " HTTP requests");
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
