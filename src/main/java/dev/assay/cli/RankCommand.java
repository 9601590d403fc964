package dev.assay.cli;

import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.llm.Endpoints;
import dev.assay.pipeline.PolicyComparison;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.ranking.PolicyRanking;
import dev.assay.ranking.RankingSpec;
import dev.assay.ranking.RankingSummary;
import dev.assay.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code assay rank CURRENT PREVIOUS}: does iteration t's policy beat t-1's? Reads the ranking step's judgments of
 * {@code CURRENT} (made against {@code PREVIOUS}'s responses to the same prompts, both seat orders) and recomputes the
 * summary ({@link PolicyRanking}) with the bootstrap's replicates and seed given here. With {@code --recipe}, compares
 * any two runs (iteration 3 against 1) by calling a pairwise judge of that recipe through a ledger of its own
 * ({@link PolicyComparison}).
 *
 * <p>Exit codes: 0 success; 1 the interval's lower bound is below {@code --min-win-probability}, or undefined; 2 bad
 * usage or bad input ({@code CURRENT} has no ranking step, or was ranked against another run than {@code PREVIOUS}).
 */
@Command(
    name = "rank",
    sortOptions = false,
    description = {
      "This iteration's policy against the previous one on the same prompts, as the recipe's ranking judge saw it"
          + " (ranking: in the recipe; both seat orders): wins, losses, ties, P(current beats previous) = the"
          + " Bradley-Terry probability with ties as half-wins, its bootstrap 95% interval over prompts, the"
          + " Bradley-Terry strength difference and Elo ratings (Bradley-Terry on the Elo scale, and LMSYS's online Elo).",
      "Reads ranking/judgments.jsonl of CURRENT; with --recipe, judges CURRENT's responses against PREVIOUS's (any two"
          + " runs) with a pairwise judge of that recipe, through a ledger of its own (a second call sends nothing).",
      "Exit codes: 0 success, 1 below --min-win-probability, 2 bad usage or bad input."
    })
public final class RankCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Parameters(index = "0", paramLabel = "CURRENT", description = "Iteration t's run directory (it holds the ranking step).")
  private Path current;

  @Parameters(index = "1", paramLabel = "PREVIOUS", description = "Iteration t-1's run directory, the one t was ranked against.")
  private Path previous;

  @Option(names = "--replicates", paramLabel = "N", description = "Bootstrap replicates (default: the run's, 2000 unless the recipe said).")
  private Integer replicates;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the bootstrap draws (default: the run's).")
  private Long seed;

  @Option(
      names = "--min-win-probability",
      paramLabel = "X",
      description = "Exit 1 when the lower bound of P(current beats previous)'s interval is below X, or undefined.")
  private Double minWinProbability;

  @Option(names = "--json", description = "Print the summary as JSON (sorted keys) instead of text.")
  private boolean json;

  @Option(
      names = "--recipe",
      paramLabel = "FILE",
      description = "Compare any two runs by calling a pairwise judge of this recipe (its endpoints, templates, seed).")
  private Path recipe;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "With --recipe: override a recipe value (repeatable).")
  private List<String> sets = new ArrayList<>();

  @Option(
      names = "--judge",
      paramLabel = "NAME",
      description = "With --recipe: the pairwise judge (default: ranking.judge, else the anchor judge asked pairwise).")
  private String judge;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "With --recipe: where the judgments, summary and ledger go (default CURRENT/compare/<PREVIOUS's folder name>).")
  private Path outDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (recipe == null && (judge != null || outDir != null || !sets.isEmpty())) {
      return fail(err, "--judge, --out and --set go with --recipe (which calls the judge); without it rank reads CURRENT's ranking step");
    }
    if (recipe != null) {
      LoadedConfig loaded = ConfigLoader.load(recipe, List.of(), sets, System::getenv);
      Path folder = outDir != null ? outDir : PolicyComparison.defaultFolder(current, previous);
      PolicyComparison.Result compared;
      try {
        compared = PolicyComparison.run(loaded, judge, current, previous, folder, RunnerChoice.direct(), replicates, seed);
      } catch (IllegalArgumentException e) {
        return fail(err, e.getMessage());
      } finally {
        Endpoints.closeAll();
      }
      return report(out, err, compared.summary());
    }
    RunDirectory dir = new RunDirectory(current);
    RankingSummary recorded = Files.isDirectory(dir.root()) ? RankingSummary.read(dir) : null;
    if (recorded == null) {
      return fail(err, current + " has no ranking step (ranking/summary.json): give its recipe a ranking: section and run it"
          + " as an iteration after the first (./assay run --iteration T, or ./assay demo --iterations 2)");
    }
    Path against = Path.of(recorded.previousRun()).toAbsolutePath().normalize();
    if (!against.equals(previous.toAbsolutePath().normalize())) {
      return fail(err, current + " was ranked against " + against + ", not " + previous.toAbsolutePath().normalize());
    }
    RankingSpec rankingSpec;
    try {
      rankingSpec = new RankingSpec(recorded.judge(), replicates == null ? recorded.replicates() : replicates, seed == null ? recorded.seed() : seed);
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage());
    }
    List<Judgment> judgments = new ArrayList<>();
    dir.forEach(RankingSummary.FOLDER, "judgments.jsonl", Judgment.class, j -> judgments.add(j.withoutText()));
    RankingSummary summary =
        PolicyRanking.of(judgments, recorded.currentPolicy(), recorded.previousPolicy(), recorded.previousRun(), rankingSpec, recorded.model());
    return report(out, err, summary);
  }

  /** Prints the summary and applies {@code --min-win-probability}. */
  private int report(PrintWriter out, PrintWriter err, RankingSummary summary) {
    out.print(json ? Json.pretty(summary) : text(summary));
    out.flush();
    if (minWinProbability != null && (summary.winRateLower() == null || summary.winRateLower() < minWinProbability)) {
      err.printf(
          Locale.ROOT, "assay: gate min_win_probability failed: lower bound %s < %.3f%n",
          summary.winRateLower() == null ? "undefined" : String.format(Locale.ROOT, "%.3f", summary.winRateLower()), minWinProbability);
      err.flush();
      return Main.GATE_FAILED;
    }
    return Main.OK;
  }

  /** The summary for a person: one figure a line. */
  static String text(RankingSummary s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "ranking: %s (current) against %s (previous, %s)%n", s.currentPolicy(), s.previousPolicy(), s.previousRun()));
    b.append(String.format(Locale.ROOT, "judge %s (%s), both seat orders: %d judgments, %d with a verdict, over %d prompts%n",
        s.judge(), s.model(), s.judgments(), s.ok(), s.prompts()));
    b.append(String.format(Locale.ROOT, "current wins %d, loses %d, ties %d%n", s.wins(), s.losses(), s.ties()));
    if (s.winRate() != null) {
      b.append(String.format(Locale.ROOT, "P(current beats previous) = win rate with ties as halves = %.4f, 95%% interval [%.4f, %.4f]"
          + " (bootstrap over prompts, %d replicates, seed %d)%n", s.winRate(), s.winRateLower(), s.winRateUpper(), s.replicates(), s.seed()));
      b.append(String.format(Locale.ROOT, "Bradley-Terry strength difference (log-odds) %s, interval [%s, %s]%n",
          num(s.strengthDifference()), num(s.strengthLower()), num(s.strengthUpper())));
      b.append(String.format(Locale.ROOT, "Elo (Bradley-Terry fit): current %s, previous %s; online Elo (LMSYS, K = 4): current %.1f, previous %.1f%n",
          num(s.eloCurrent()), num(s.eloPrevious()), s.onlineEloCurrent(), s.onlineEloPrevious()));
    }
    b.append("verdict: ").append(s.verdict()).append(System.lineSeparator());
    return b.toString();
  }

  private static String num(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static int fail(PrintWriter err, String message) {
    err.println("assay: " + message);
    err.flush();
    return Main.BAD_INPUT;
  }
}
