package dev.assay.bench;

import dev.assay.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ./assay run} of the stock self-rewarding recipe ({@code pipelines/self-rewarding.yaml}) against a
 * simulator already serving at {@code baseUrl}, through the real command line, with its console captured: the
 * benchmarks that measure a whole run ({@code bench sampling}, {@code bench filters}) share it, so they run the
 * product's pipeline, not a copy of it.
 *
 * <p>Every endpoint points at the simulator with {@code max_in_flight} 128; the input is {@code prompts}, the recipe's
 * seed {@code seed}; {@code sets} are more {@code --set} overrides. A run directory that already holds a ledger is
 * resumed. Failure modes: {@link IllegalStateException} when the run exits non-zero, with its console output.
 */
final class SimulatedRecipeRun {
  private SimulatedRecipeRun() {}

  static void run(Path project, String baseUrl, Path prompts, long seed, Path runDir, String runner, List<String> sets, String what) {
    List<String> args = new ArrayList<>(List.of(
        "run", project.resolve("pipelines/self-rewarding.yaml").toString(), "--run-dir", runDir.toString(),
        "--no-progress", "--runner", runner));
    List<String> all = new ArrayList<>(List.of("input.path=" + prompts, "seed=" + seed));
    for (String e : List.of("policy", "judge", "previous")) {
      all.add("endpoints." + e + ".base_url=" + baseUrl);
      all.add("endpoints." + e + ".max_in_flight=128");
    }
    all.addAll(sets);
    all.forEach(s -> {
      args.add("--set");
      args.add(s);
    });
    if (Files.isDirectory(runDir.resolve("ledger"))) {
      args.add("--resume");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int exit;
    try (PrintStream p = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(p);
      exit = Main.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(stdout);
    }
    if (exit != 0) {
      throw new IllegalStateException(what + " exited " + exit + ":\n" + captured.toString(StandardCharsets.UTF_8));
    }
  }
}
