package dev.assay.cli;

import dev.assay.batch.DeferringProvider;
import dev.assay.llm.BackendProvider;
import dev.assay.config.ConfigException;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.pipeline.RecipeRunner;
import dev.assay.pipeline.Rounds;
import dev.assay.pipeline.RunResult;
import dev.assay.pipeline.RunnerChoice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./assay run PIPELINE.yaml}: runs a recipe against the configured endpoints into a run directory.
 *
 * <p>With {@code --iteration T} the run directory is a series of rounds: the run goes into {@code RUN_DIR/iter-T/},
 * the recipe's {@code iteration} is set to T, and {@code RUN_DIR/iter-(T-1)/} (when present) is recorded as the
 * previous iteration and, where the recipe's {@code consistency:} names neither {@code previous} nor {@code
 * previous_judge}, used as {@code consistency.previous}.
 */
@Command(name = "run", description = "Run a pipeline recipe into a run directory.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "the recipe")
  Path recipe;

  @Option(names = "--config", paramLabel = "FILE", description = "extra config merged over the recipe (repeatable)")
  List<Path> configs = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting, e.g. judges.0.n=5 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--run-dir",
      paramLabel = "DIR",
      description = "run directory (default: runs/<recipe name>); with --iteration, the folder of the series of rounds")
  Path runDir;

  @Option(
      names = "--iteration",
      paramLabel = "T",
      description =
          "iteration T of a series: run into <run-dir>/iter-T, set the recipe's iteration to T, and use"
              + " <run-dir>/iter-(T-1) as the previous iteration")
  Integer iteration;

  @Option(names = "--resume", description = "continue the run in --run-dir; completed requests come from its ledger")
  boolean resume;

  @Option(
      names = "--offline",
      description =
          "call no endpoint: every answer must come from the ledger (batch output files read with ./assay batch"
              + " read); requests it lacks fail the run's stages, and the preflight is skipped")
  boolean offline;

  @Option(names = "--overwrite", description = "discard what --run-dir holds, ledger included, and start again")
  boolean overwrite;

  @Option(
      names = "--break-lock",
      description =
          "take over the run directory when its run.lock names a process on another host (that cannot be checked"
              + " from here); only when that process is known to be gone")
  boolean breakLock;

  @Option(
      names = "--progress",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "show progress on stderr while running (default: on; --no-progress to silence)")
  boolean progress;

  @Mixin RunnerOptions runner = new RunnerOptions();

  @Mixin LedgerOption ledger = new LedgerOption();

  @Override
  public Integer call() {
    RunnerChoice runnerChoice = runner.choice();
    List<String> allSets = ledger.withSets(sets);
    Path series = null;
    Optional<Path> previous = Optional.empty();
    LoadedConfig loaded;
    if (iteration != null) {
      allSets.add("iteration=" + iteration);
      series = runDir;
      if (series == null) {
        series = Path.of("runs", peekName());
      }
      previous = Rounds.previous(series, iteration);
      loaded = loadWithPrevious(allSets, previous);
    } else {
      loaded = ConfigLoader.load(recipe, configs, allSets, System::getenv);
    }
    Path dir =
        iteration != null ? Rounds.iterationDir(series, iteration) : runDir != null ? runDir : Path.of("runs", loaded.recipe().name());
    List<String> notes = new ArrayList<>();
    previous.ifPresent(p -> notes.add("previous iteration: " + p));
    RunResult result =
        RecipeRunner.run(
            loaded,
            new RecipeRunner.Options(
                dir, resume, overwrite, Commands.commandLine("run", recipe, configs, sets, dir, resume) + ledger.describe()
                    + (offline ? " --offline" : ""),
                offline ? offline(loaded) : null, notes,
                previous.orElse(null), progress, runnerChoice, breakLock),
            System.out);
    System.out.println("run directory: " + dir.toAbsolutePath().normalize());
    return result.exitCode();
  }

  /** Every endpoint answered from the ledger only. */
  private static Map<String, BackendProvider> offline(LoadedConfig loaded) {
    Map<String, BackendProvider> providers = new TreeMap<>();
    loaded.recipe().endpoints().keySet().forEach(name -> providers.put(name, DeferringProvider.offline(name)));
    return providers;
  }

  private String peekName() {
    return ConfigLoader.load(recipe, configs, sets, System::getenv).recipe().name();
  }

  /**
   * Loads the recipe; when it fails only because {@code consistency:} names no previous ranking and the previous
   * iteration exists, loads it again with {@code consistency.previous} set to that folder. The binder rejects a
   * consistency section with neither key, so the default can only be supplied before binding.
   */
  private LoadedConfig loadWithPrevious(List<String> allSets, Optional<Path> previous) {
    try {
      return ConfigLoader.load(recipe, configs, allSets, System::getenv);
    } catch (ConfigException bare) {
      if (previous.isEmpty() || !bare.getMessage().contains("previous")) {
        throw bare;
      }
      List<String> withPrevious = new ArrayList<>(allSets);
      withPrevious.add("consistency.previous=" + previous.get());
      try {
        return ConfigLoader.load(recipe, configs, withPrevious, System::getenv);
      } catch (ConfigException still) {
        throw bare;
      }
    }
  }
}
