package dev.assay.cli;

import dev.assay.pipeline.recipe.Validator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./assay validate PIPELINE.yaml}: every config and input problem at once, without calling a model. */
@Command(name = "validate", description = "Check a recipe, its configs and its input without calling any model.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml")
  Path recipe;

  @Option(names = "--config", paramLabel = "FILE", description = "extra config merged over the recipe (repeatable)")
  List<Path> configs = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting (repeatable)")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() {
    return Validator.run(recipe, configs, sets, System::getenv, System.out);
  }
}
