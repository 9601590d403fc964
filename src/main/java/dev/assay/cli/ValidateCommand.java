package dev.assay.cli;

import dev.assay.llm.Endpoints;
import dev.assay.llm.LlmBackend;
import dev.assay.pipeline.Preflight;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.pipeline.recipe.Validator;
import dev.assay.run.PreflightCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./assay validate PIPELINE.yaml}: every config and input problem at once, without calling a model. With
 * {@code --probe}, then the run's own preflight ({@link Preflight}) alone: each endpoint's model list and one
 * {@code max_tokens: 1} probe per capability the recipe needs. Exit 0 when a run could start, 2 for a problem in
 * the recipe (a model not served, a capability missing, simulated and real endpoints mixed), 3 when an endpoint
 * cannot be reached.
 */
@Command(
    name = "validate",
    description = "Check a recipe, its configs and its input without calling any model (--probe: then ask the endpoints).")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml")
  Path recipe;

  @Option(names = "--config", paramLabel = "FILE", description = "extra config merged over the recipe (repeatable)")
  List<Path> configs = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one setting (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--probe",
      description = "also run the preflight a run makes: each endpoint's model list and one max_tokens 1 probe per"
          + " capability the recipe needs; nothing goes to the ledger")
  boolean probe;

  @Override
  public Integer call() {
    int exit = Validator.run(recipe, configs, sets, System::getenv, System.out);
    if (exit != Validator.EXIT_OK || !probe) {
      return exit;
    }
    Recipe loaded = ConfigLoader.load(recipe, configs, sets, System::getenv).recipe();
    Map<String, LlmBackend> clients = new HashMap<>();
    try {
      Preflight.Result result =
          Preflight.check(loaded, name -> clients.computeIfAbsent(name, n -> Endpoints.unshared(loaded.endpoints().get(n), System::getenv)));
      for (PreflightCheck c : result.checks()) {
        System.out.println("  " + c.endpoint() + " " + c.check() + " " + c.outcome() + (c.detail().isEmpty() ? "" : ": " + c.detail()));
      }
      if (result.simulatedNote() != null) {
        System.out.println("  " + result.simulatedNote());
      }
      result.orThrow();
      if (result.unreachable()) {
        System.out.println(recipe + ": an endpoint is unreachable; no model was asked for anything else there");
        return Main.BACKEND;
      }
      System.out.println("probe ok: " + recipe);
      return Validator.EXIT_OK;
    } finally {
      clients.values().forEach(LlmBackend::close);
    }
  }
}
