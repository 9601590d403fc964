package dev.assay.ranking;

import dev.assay.run.RunDirectory;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the ranking step found: this iteration's policy against the previous one on the same prompts, as one pairwise
 * judge saw it. Written to {@code ranking/summary.json}; the report, the dataset card and {@code ./assay rank} read it.
 * Undefined figures are null (never NaN), so the JSON stays valid.
 *
 * @param judge the ranking judge's name
 * @param model the model that judged
 * @param currentPolicy the model that wrote this iteration's responses
 * @param previousPolicy the model that wrote the previous iteration's responses
 * @param previousRun the previous iteration's run directory, as the run was told it
 * @param prompts prompts with at least one usable (ok) judgment: the bootstrap's units
 * @param judgments ranking judgments of every status
 * @param ok judgments with a verdict
 * @param wins ok judgments that preferred this iteration's response
 * @param losses ok judgments that preferred the previous iteration's response
 * @param ties ok judgments that called it a tie
 * @param winRate {@code (wins + ties / 2) / ok}: this policy's expected score, which for two players is also the
 *     Bradley-Terry probability that it beats the previous one (ties as half-wins); null without an ok judgment
 * @param winRateLower the bootstrap 95% interval's lower bound (resampling prompts), null when undefined
 * @param winRateUpper its upper bound
 * @param strengthDifference the Bradley-Terry log-strength difference {@code s_t - s_(t-1)}, the log-odds of
 *     {@code winRate}; null when one side won every comparison (no finite estimate)
 * @param strengthLower the difference's interval, the log-odds of the win rate's bounds (the percentile interval
 *     follows a monotone map); null at a bound of 0 or 1
 * @param strengthUpper its upper bound
 * @param eloCurrent this policy on the Elo scale of the Bradley-Terry fit ({@code 1000 + 400 s / ln 10}, strengths
 *     centred), null without a finite estimate
 * @param eloPrevious the previous policy on that scale
 * @param onlineEloCurrent LMSYS's online Elo (K = 4, from 1000) over the ok judgments in id order
 * @param onlineEloPrevious the previous policy's online Elo
 * @param replicates bootstrap replicates
 * @param seed the bootstrap's seed
 */
public record RankingSummary(
    String judge,
    String model,
    String currentPolicy,
    String previousPolicy,
    String previousRun,
    long prompts,
    long judgments,
    long ok,
    long wins,
    long losses,
    long ties,
    Double winRate,
    Double winRateLower,
    Double winRateUpper,
    Double strengthDifference,
    Double strengthLower,
    Double strengthUpper,
    Double eloCurrent,
    Double eloPrevious,
    double onlineEloCurrent,
    double onlineEloPrevious,
    int replicates,
    long seed) {
  /** Where a run keeps it: {@code ranking/summary.json}, one JSON line. */
  public static final String FOLDER = "ranking";

  public static final String FILE = "summary.json";

  /** The ranking summary of a run directory, or null when the run had no ranking step. */
  public static RankingSummary read(RunDirectory dir) {
    List<RankingSummary> found = dir.read(FOLDER, FILE, RankingSummary.class);
    return found.isEmpty() ? null : found.get(0);
  }

  public RankingSummary {
    Objects.requireNonNull(judge, "judge");
    if (wins + losses + ties != ok || ok > judgments) {
      throw new IllegalArgumentException("wins + losses + ties must equal ok <= judgments: " + wins + " + " + losses + " + " + ties + " vs " + ok + ", " + judgments);
    }
  }

  /** What the interval says: {@code better} or {@code worse} when it excludes 1/2, else {@code no measurable difference}. */
  public String verdict() {
    if (winRateLower == null || winRateUpper == null) {
      return "undefined";
    }
    if (winRateLower > 0.5) {
      return "better";
    }
    if (winRateUpper < 0.5) {
      return "worse";
    }
    return "no measurable difference";
  }

  /** One line for the console and the manifest's notes. */
  public String line() {
    if (winRate == null) {
      return "ranking: no usable judgment of " + currentPolicy + " against " + previousPolicy + " (" + judgments + " judgments by " + judge + ")";
    }
    return String.format(
        Locale.ROOT,
        "ranking: %s against %s by judge %s over %d prompts: %d wins, %d losses, %d ties of %d judgments;"
            + " P(%s beats %s) = %.3f [%s, %s]; Bradley-Terry difference %s [%s, %s]: %s",
        currentPolicy, previousPolicy, judge, prompts, wins, losses, ties, ok, currentPolicy, previousPolicy, winRate,
        fixed(winRateLower), fixed(winRateUpper), fixed(strengthDifference), fixed(strengthLower), fixed(strengthUpper), verdict());
  }

  private static String fixed(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }
}
