package dev.assay.pipeline;

import dev.assay.judging.JudgeDefinition;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.SharedEndpoint;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.ranking.RankingSpec;
import dev.assay.ranking.RankingSummary;
import dev.assay.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code ./assay rank CURRENT PREVIOUS --recipe FILE}: compares the policies of any two runs (iteration 3 against
 * iteration 1, say) by calling a pairwise judge of the recipe, as the ranking step of a round compares t with t-1:
 * each of CURRENT's responses against PREVIOUS's response to the same prompt, both seat orders, through a ledger of
 * its own, so a second call sends nothing.
 *
 * <p>The judge is {@code judgeName}, else the recipe's {@code ranking.judge}, else the anchor judge asked pairwise
 * ({@link RankingStage#judge}); its endpoint comes from the recipe (with its {@code --set} overrides). Outputs go to
 * {@code folder} (by default {@code CURRENT/compare/<PREVIOUS's folder name>}): {@code ranking/judgments.jsonl},
 * {@code ranking/summary.json}, {@code failures/ranking.jsonl} and {@code ledger/}; CURRENT's own files are read,
 * never written.
 *
 * <p>Failure modes: {@link UsageException} for a run without {@code candidates/candidates.jsonl}, a judge that is
 * missing or not pairwise, or no judge to default to; a pipeline failure propagates.
 */
public final class PolicyComparison {
  private PolicyComparison() {}

  /**
   * What a comparison found.
   *
   * @param summary the ranking summary, as {@code ranking/summary.json} holds it
   * @param folder where the judgments, the summary and the ledger are
   * @param judgments judgments expected (items x samples), for the console
   */
  public record Result(RankingSummary summary, Path folder, long judgments) {}

  /** The default output folder: {@code CURRENT/compare/<PREVIOUS's folder name>}. */
  public static Path defaultFolder(Path current, Path previous) {
    return current.resolve("compare").resolve(previous.toAbsolutePath().normalize().getFileName().toString());
  }

  /**
   * Runs the comparison on {@code runner}.
   *
   * @param judgeName a pairwise judge of the recipe's {@code judges:}, or null for the recipe's default
   */
  public static Result run(
      LoadedConfig loaded, String judgeName, Path current, Path previous, Path folder, RunnerChoice runner, Integer replicates,
      Long bootstrapSeed) {
    Objects.requireNonNull(loaded, "loaded");
    for (Path run : List.of(current, previous)) {
      if (!Files.isRegularFile(new RunDirectory(run).output("candidates", "candidates.jsonl"))) {
        throw new UsageException(run + " has no candidates/candidates.jsonl: give two run directories that generated responses");
      }
    }
    Recipe recipe = loaded.recipe();
    List<JudgeDefinition> judges = RunPlan.judges(recipe, loaded.recipeDir());
    String named = judgeName != null ? judgeName : recipe.ranking() == null ? null : recipe.ranking().judge();
    JudgeDefinition judge = RankingStage.judge(recipe, named, judges);
    RankingSpec defaults = recipe.ranking() != null ? recipe.ranking() : new RankingSpec(judge.name(), null, null);
    RankingSpec spec =
        new RankingSpec(judge.name(), replicates != null ? replicates : defaults.replicates(), bootstrapSeed != null ? bootstrapSeed : defaults.seed());
    BackendProvider provider = new SharedEndpoint(judge.endpointName(), recipe.endpoints().get(judge.endpointName()));
    RunDirectory into = new RunDirectory(folder);
    RankingStage.Result r =
        RankingStage.pass(spec, judge, recipe.seed(), new RunDirectory(current), previous.toAbsolutePath().normalize(), into, provider, runner);
    into.cleanWork();
    return new Result(r.summary(), folder, r.count().in());
  }
}
