package dev.assay.cli;

import dev.assay.config.ConfigLoader;
import dev.assay.config.LoadedConfig;
import dev.assay.pipeline.RecipeRunner;
import dev.assay.pipeline.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./assay run PIPELINE.yaml}: runs a recipe against the configured endpoints into a run directory. */
@Command(name = "run", description = "Run a pipeline recipe into a run directory.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "the recipe")
  Path recipe;

  @Option(names = "--config", paramLabel = "FILE", description = "extra config merged over the recipe (repeatable)")
  List<Path> configs = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting, e.g. judges.0.n=5 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--run-dir", paramLabel = "DIR", description = "run directory (default: runs/<recipe name>)")
  Path runDir;

  @Option(names = "--resume", description = "continue the run in --run-dir; completed requests come from its ledger")
  boolean resume;

  @Option(names = "--overwrite", description = "discard what --run-dir holds, ledger included, and start again")
  boolean overwrite;

  @Override
  public Integer call() {
    LoadedConfig loaded = ConfigLoader.load(recipe, configs, sets, System::getenv);
    Path dir = runDir != null ? runDir : Path.of("runs", loaded.recipe().name());
    RunResult result =
        RecipeRunner.run(
            loaded,
            new RecipeRunner.Options(dir, resume, overwrite, Commands.commandLine("run", recipe, configs, sets, dir, resume), null, null),
            System.out);
    System.out.println("run directory: " + dir.toAbsolutePath().normalize());
    return result.exitCode();
  }
}
