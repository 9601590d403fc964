package dev.assay.report;

import dev.assay.consistency.ConsistencySummary;
import dev.assay.consistency.PromptConsistency;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.generation.Candidate;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.pairwise.FlipRate;
import dev.assay.rewards.PairPreference;
import dev.assay.curation.rationalization.PositionBalance;
import dev.assay.ranking.RankingSummary;
import dev.assay.run.EndpointUsage;
import dev.assay.run.FilterGains;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import dev.assay.stats.CohenKappa;
import dev.assay.stats.KappaResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes {@code report.html}: one self-contained page of charts and tables for a person, per run directory
 * ({@link #write}) or across the {@code iter-*} runs of a folder ({@link #writeAcross}).
 *
 * <p>Self-contained means the file opens from disk with no request at all: inline CSS, charts as inline SVG drawn
 * here, no script, no external font or image. Every chart is an {@code <svg data-chart="NAME">}; a chart the run has
 * no data for is a note carrying the same {@code data-chart} and {@code data-empty="true"}. The names are the
 * constants {@link #RUN_CHARTS} and {@link #ACROSS_CHARTS}.
 *
 * <p>Failure modes: {@link IllegalArgumentException} when the folder is not a run directory (no {@code
 * manifest.json}, or one that does not parse) or holds no {@code iter-*} run; {@link UncheckedIOException} when a
 * file cannot be read or the report cannot be written. Stage outputs a run did not produce are reported as not
 * measured, never as an error.
 */
public final class ReportWriter {
  /** The report's file name, in the run directory or the runs folder. */
  public static final String REPORT = "report.html";

  /** The charts of a per-run report, in page order. */
  public static final List<String> RUN_CHARTS =
      List.of(
          "filter-funnel",
          "score-distribution",
          "consistency-histogram",
          "reward-agreement",
          "flip-rates",
          "length-vs-score",
          "pair-margins");

  /** The charts of a cross-iteration report, in page order. */
  public static final List<String> ACROSS_CHARTS =
      List.of("scores-by-iteration", "consistency-by-iteration", "pairs-by-iteration", "funnel-by-iteration");

  private static final Pattern ITERATION = Pattern.compile("iter-(\\d+)");

  /** Pipeline order of stage names; the manifest stores stages sorted by name, which is not the order they ran. */
  private static final List<String> STAGE_ORDER =
      List.of("generate", "dedupe", "decontaminate", "judge", "score", "rewards", "consistency", "consensus", "pairs",
          "rationaliz", "sft", "export");

  private ReportWriter() {}

  /** Writes {@code runDir/report.html} and returns its path. */
  public static Path write(Path runDir) {
    RunData run = RunData.load(runDir);
    return writeFile(run.root().resolve(REPORT), Html.page("Assay report: " + run.manifest().runId(), runBody(run)));
  }

  /** Whether {@code folder} holds at least one {@code iter-<t>} subfolder. */
  public static boolean holdsIterations(Path folder) {
    return !iterationFolders(folder).isEmpty();
  }

  /**
   * Writes {@code runsFolder/report.html} across the {@code iter-<t>} run directories it holds (in t order), and each
   * iteration's own report, and returns the cross-iteration report's path.
   */
  public static Path writeAcross(Path runsFolder) {
    List<Path> folders = iterationFolders(runsFolder);
    if (folders.isEmpty()) {
      throw new IllegalArgumentException("no iter-* run directories in " + runsFolder);
    }
    List<RunData> runs = new ArrayList<>();
    for (Path f : folders) {
      RunData run = RunData.load(f);
      writeFile(run.root().resolve(REPORT), Html.page("Assay report: " + run.manifest().runId(), runBody(run)));
      runs.add(run);
    }
    Path root = runsFolder.toAbsolutePath().normalize();
    return writeFile(root.resolve(REPORT), Html.page("Assay report across iterations: " + root.getFileName(),
        acrossBody(root, folders, runs)));
  }

  static List<Path> iterationFolders(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(Files::isDirectory)
          .filter(p -> ITERATION.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(ReportWriter::iterationOf))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  private static long iterationOf(Path p) {
    Matcher m = ITERATION.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  private static Path writeFile(Path target, String html) {
    try {
      Path tmp = target.resolveSibling(REPORT + ".tmp");
      Files.writeString(tmp, html, StandardCharsets.UTF_8);
      Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  // ---------------------------------------------------------------- one run

  static String runBody(RunData run) {
    var m = run.manifest();
    StringBuilder sb = new StringBuilder();
    sb.append("<h1>Assay run report</h1>\n<p class=\"meta\">run <b>").append(Html.esc(m.runId()))
        .append("</b> · recipe ").append(Html.esc(m.recipe())).append(" · status <b>").append(Html.esc(m.status()))
        .append("</b> · started ").append(Html.esc(m.startedAt())).append(" · finished ")
        .append(Html.esc(m.finishedAt() == null ? "-" : m.finishedAt())).append("<br>command <code>")
        .append(Html.esc(m.command())).append("</code> · seed ").append(m.seed());
    if (m.versions() != null) {
      sb.append(" · ").append(Html.esc(String.join(", ", m.versions().entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).toList())));
    }
    sb.append("</p>\n");
    sb.append(headline(run));
    List<String> notes = m.notes() == null ? List.of() : m.notes();
    if (!notes.isEmpty()) {
      sb.append("<h2>Notes</h2>\n<ul class=\"notes\">\n");
      for (String n : notes) {
        if (!n.startsWith("simulated truth")) {
          sb.append("<li>").append(Html.esc(n)).append("</li>\n");
        }
      }
      sb.append("</ul>\n");
    }
    sb.append("<h2>Filter funnel</h2>\n").append(funnel(run));
    sb.append("<h2>Judges</h2>\n").append(scoreDistribution(run)).append(flipRates(run)).append(lengthVsScore(run));
    sb.append("<h2>Consistency across iterations (CREAM)</h2>\n").append(consistencyHistogram(run))
        .append(labelSmoothingTable(run));
    sb.append("<h2>Anchor set and self-preference</h2>\n").append(DriftSection.run(run));
    sb.append("<h2>Reward models</h2>\n").append(agreementMatrix(run));
    sb.append("<h2>Pairs</h2>\n").append(pairMargins(run));
    sb.append(ranking(run));
    sb.append(positionBalance(run));
    sb.append(run.manifest().filterGains() != null ? filterGains(run.manifest().filterGains()) : simulatedTruth(notes));
    sb.append("<h2>Stage accounting</h2>\n").append(stageTable(run));
    sb.append("<h2>Endpoint usage</h2>\n").append(usageTable(run));
    sb.append("<h2>Cost per stage and per kept pair</h2>\n").append(costTable(run));
    return sb.toString();
  }

  private static String headline(RunData run) {
    List<List<String>> rows = new ArrayList<>();
    Double c = consistencyOf(run);
    rows.add(List.of("candidates", Long.toString(run.candidates().size())));
    rows.add(List.of("judgments (ok / all)",
        run.judgments().stream().filter(j -> j.status() == JudgmentStatus.OK).count() + " / "
            + run.judgments().size()));
    rows.add(List.of("consistency C", c == null ? "not measured" : fmt(c)));
    rows.add(List.of("label_smoothing (1 - C)",
        run.manifest().labelSmoothing() == null ? "not measured" : fmt(run.manifest().labelSmoothing())));
    rows.add(List.of("preference pairs kept", Long.toString(run.pairs().size())));
    return Html.table("summary", List.of("figure", "value"), rows);
  }

  private static List<Map.Entry<String, StageCount>> orderedStages(RunData run) {
    Map<String, StageCount> stages = run.manifest().stages() == null ? Map.of() : run.manifest().stages();
    List<Map.Entry<String, StageCount>> list = new ArrayList<>(stages.entrySet());
    list.sort(Comparator.comparingInt((Map.Entry<String, StageCount> e) -> stageRank(e.getKey()))
        .thenComparing(Map.Entry::getKey));
    return list;
  }

  private static int stageRank(String stage) {
    for (int i = 0; i < STAGE_ORDER.size(); i++) {
      if (stage.startsWith(STAGE_ORDER.get(i))) {
        return i;
      }
    }
    return STAGE_ORDER.size();
  }

  static String funnel(RunData run) {
    String name = "filter-funnel";
    String title = "Filter funnel: records each stage kept";
    List<Map.Entry<String, StageCount>> stages = orderedStages(run);
    if (stages.isEmpty()) {
      return Svg.empty(name, title, "the manifest records no stage counts");
    }
    List<String> rows = stages.stream().map(Map.Entry::getKey).toList();
    List<Svg.Series> segments = List.of(
        new Svg.Series("kept", stages.stream().map(e -> (double) e.getValue().out()).toList()),
        new Svg.Series("rejected", stages.stream().map(e -> (double) e.getValue().rejected()).toList()),
        new Svg.Series("failed", stages.stream().map(e -> (double) e.getValue().failed()).toList()));
    String svg = Svg.stackedRows(name, title, rows, segments, "records (model stages: requests)");
    StringBuilder reasons = new StringBuilder();
    for (var e : stages) {
      if (!e.getValue().reasons().isEmpty()) {
        reasons.append(reasons.length() == 0 ? "" : "; ").append(e.getKey()).append(": ")
            .append(String.join(", ", e.getValue().reasons().entrySet().stream()
                .map(r -> r.getKey() + " " + r.getValue()).toList()));
      }
    }
    return Svg.figure(name, title, "Each bar is one stage's input, split into what it kept, rejected (for a reason)"
        + " and failed; model stages count requests, filter stages count prompts or pairs. Reasons: "
        + (reasons.length() == 0 ? "none" : reasons) + ".", svg);
  }

  static String scoreDistribution(RunData run) {
    String name = "score-distribution";
    String title = "Score distribution per judge (ok absolute judgments)";
    Map<String, TreeMap<Integer, Long>> byJudge = new TreeMap<>();
    Map<String, long[]> parsed = new TreeMap<>();
    for (Judgment j : run.judgments()) {
      if (j.kind() != JudgmentKind.ABSOLUTE) {
        continue;
      }
      long[] p = parsed.computeIfAbsent(j.judge(), k -> new long[2]);
      p[1]++;
      if (j.status() == JudgmentStatus.OK) {
        p[0]++;
        byJudge.computeIfAbsent(j.judge(), k -> new TreeMap<>()).merge(j.score(), 1L, Long::sum);
      }
    }
    if (byJudge.isEmpty()) {
      return Svg.empty(name, title, "no absolute judgment parsed");
    }
    int lo = byJudge.values().stream().mapToInt(TreeMap::firstKey).min().orElse(1);
    int hi = byJudge.values().stream().mapToInt(TreeMap::lastKey).max().orElse(5);
    ScoreBars bars = ScoreBars.of(byJudge, lo, hi);
    List<String> categories = bars.categories();
    List<Svg.Series> series = bars.series();
    String caption = "Counts of ok scores per judge. Parsed: " + String.join(", ", parsed.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1]).toList())
        + "; judgments that failed or did not parse are never scores.";
    return Svg.figure(name, title, caption,
        Svg.bars(name, title, categories, series, "score", "judgments", true));
  }

  static String flipRates(RunData run) {
    String name = "flip-rates";
    String title = "Flip rate of pairwise judges (position bias)";
    TreeSet<String> judges = new TreeSet<>();
    for (Judgment j : run.judgments()) {
      if (j.kind() == JudgmentKind.PAIRWISE) {
        judges.add(j.judge());
      }
    }
    List<String> categories = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    for (String judge : judges) {
      FlipRate f = FlipRate.of(judge, run.judgments());
      if (f.comparisons() > 0) {
        categories.add(judge + " (" + f.flips() + "/" + f.comparisons() + ")");
        rates.add(f.rate());
        counts.add(judge + ": " + f.flips() + " flips, " + f.ties() + " with a tie, in " + f.comparisons()
            + " both-order comparisons");
      }
    }
    if (categories.isEmpty()) {
      return Svg.empty(name, title, "no pairwise judge with both-order comparisons");
    }
    return Svg.figure(name, title, "Share of both-order comparisons whose two verdicts preferred different"
        + " candidates (a flip counts as a tie in the pairwise reward). " + String.join("; ", counts) + ".",
        Svg.bars(name, title, categories, List.of(new Svg.Series("flip rate", rates)), "judge (flips/comparisons)",
            "flip rate", false));
  }

  static String lengthVsScore(RunData run) {
    String name = "length-vs-score";
    String judge = run.primaryJudge();
    String title = "Response length against score" + (judge == null ? "" : " (judge " + judge + ")");
    Map<String, Candidate> byId = new HashMap<>();
    run.candidates().forEach(c -> byId.put(c.id(), c));
    Map<String, double[]> sums = new TreeMap<>();
    for (Judgment j : run.judgments()) {
      if (j.kind() == JudgmentKind.ABSOLUTE && j.judge().equals(judge) && j.status() == JudgmentStatus.OK) {
        double[] s = sums.computeIfAbsent(j.candidateA(), k -> new double[2]);
        s[0] += j.score();
        s[1]++;
      }
    }
    List<Svg.Point> points = new ArrayList<>();
    for (var e : sums.entrySet()) {
      Candidate c = byId.get(e.getKey());
      if (c != null) {
        points.add(new Svg.Point(words(c.response()), e.getValue()[0] / e.getValue()[1]));
      }
    }
    if (points.isEmpty()) {
      return Svg.empty(name, title, judge == null ? "no absolute judge" : "no scored candidate with its text");
    }
    double[] fit = Svg.leastSquares(points);
    return Svg.figure(name, title, "One point per candidate: its length in words and the mean of judge " + judge
        + "'s ok scores (" + points.size() + " candidates). The line is a least-squares fit"
        + (fit == null ? "" : String.format(Locale.ROOT, " (slope %.4f per word)", fit[1]))
        + "; a steep slope is a sign of length bias.",
        Svg.scatter(name, title, points, "response length (words)", "mean score"));
  }

  static int words(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  static Double consistencyOf(RunData run) {
    var node = run.manifest().consistency();
    if (node != null && node.hasNonNull("consistency")) {
      return node.get("consistency").asDouble();
    }
    List<Double> defined = run.consistency().stream().filter(PromptConsistency::defined)
        .map(PromptConsistency::consistency).toList();
    return defined.isEmpty() ? null : defined.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  static String consistencyHistogram(RunData run) {
    String name = "consistency-histogram";
    String title = "Per-prompt consistency C(x) with the previous iteration";
    long[] bins = new long[ConsistencySummary.BINS];
    var node = run.manifest().consistency();
    long defined = 0;
    if (node != null && node.path("histogram").isArray() && node.path("histogram").size() == bins.length) {
      // The summary counts every measured prompt, including those a filter later dropped from consistency.jsonl.
      for (int i = 0; i < bins.length; i++) {
        bins[i] = node.path("histogram").get(i).asLong();
        defined += bins[i];
      }
    } else {
      for (PromptConsistency p : run.consistency()) {
        if (p.defined()) {
          bins[ConsistencySummary.binOf(p.consistency())]++;
          defined++;
        }
      }
    }
    if (defined == 0) {
      return Svg.empty(name, title, "no prompt had a defined C(x), or there was no previous iteration");
    }
    List<String> categories = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < bins.length; i++) {
      categories.add(String.format(Locale.ROOT, "%.1f", i / 10.0));
      values.add((double) bins[i]);
    }
    Double c = consistencyOf(run);
    String caption = "Prompts per C(x) bin [x, x+0.1) (the last bin includes 1.0), " + defined
        + " prompts with a defined C(x)" + (c == null ? "" : "; C = mean C(x) = " + fmt(c))
        + (node != null && node.path("undefined").asLong() > 0
            ? "; undefined: " + node.path("undefined_reasons").toString() : "")
        + ". C(x) = (tau_b + 1) / 2 between this and the previous iteration's rankings of the same responses.";
    return Svg.figure(name, title, caption,
        Svg.bars(name, title, categories, List.of(new Svg.Series("prompts", values)), "C(x)", "prompts", true));
  }

  private static String labelSmoothingTable(RunData run) {
    var node = run.manifest().consistency();
    List<List<String>> rows = new ArrayList<>();
    Double c = consistencyOf(run);
    rows.add(List.of("C (mean C(x))", c == null ? "not measured" : fmt(c)));
    rows.add(List.of("label_smoothing = 1 - C",
        run.manifest().labelSmoothing() == null ? "not measured" : fmt(run.manifest().labelSmoothing())));
    if (node != null && !node.isNull() && !node.isMissingNode()) {
      for (String f : List.of("prompts", "measured", "defined", "undefined", "kept", "rejected", "failed")) {
        if (node.has(f)) {
          rows.add(List.of(f, node.get(f).asText()));
        }
      }
      if (node.has("rejections")) {
        rows.add(List.of("rejections", node.get("rejections").toString()));
      }
    }
    return Html.table("label-smoothing", List.of("consistency", "value"), rows)
        + "<p class=\"meta\">label_smoothing is the epsilon of conservative DPO that CREAM's loss equals (OpenRLHF"
        + " <code>--label_smoothing</code>; TRL's sigmoid loss up to 0.28).</p>\n";
  }

  static String agreementMatrix(RunData run) {
    String name = "reward-agreement";
    String title = "Agreement between reward models on preferred candidates";
    Map<String, Map<String, String>> prefs = new TreeMap<>();
    for (PairPreference p : run.preferences()) {
      prefs.computeIfAbsent(p.rewardModel(), k -> new HashMap<>())
          .put(p.promptId() + "\u0000" + p.first() + "\u0000" + p.second(),
              p.preferred() == null ? "" : p.preferred().equals(p.first()) ? "first" : "second");
    }
    if (prefs.size() < 2) {
      return Svg.empty(name, title, prefs.isEmpty() ? "no pair preferences" : "only one reward model");
    }
    List<String> models = new ArrayList<>(prefs.keySet());
    int n = models.size();
    double[][] values = new double[n][n];
    String[][] texts = new String[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (var e : prefs.get(models.get(i)).entrySet()) {
          String other = prefs.get(models.get(j)).get(e.getKey());
          // Only pairs where both voters chose a side: "no preference" is not a disagreement about which is better.
          if (other != null && !other.isEmpty() && !e.getValue().isEmpty()) {
            a.add(e.getValue());
            b.add(other);
          }
        }
        long same = 0;
        for (int k = 0; k < a.size(); k++) {
          same += a.get(k).equals(b.get(k)) ? 1 : 0;
        }
        values[i][j] = a.isEmpty() ? Double.NaN : (double) same / a.size();
        String kappa = "κ n/a";
        if (a.size() >= 2) {
          try {
            // Categories are "first" and "second" of the pair, so kappa asks whether they agree on the side beyond
            // what their marginal preferences would give by chance.
            KappaResult k = CohenKappa.of(a, b);
            kappa = Double.isNaN(k.kappa()) ? "κ n/a" : String.format(Locale.ROOT, "κ %.2f", k.kappa());
          } catch (IllegalArgumentException ex) {
            kappa = "κ n/a";
          }
        }
        texts[i][j] = a.isEmpty() ? "no pairs"
            : String.format(Locale.ROOT, "%.0f%%\n%d/%d\n%s", 100.0 * same / a.size(), same, a.size(), kappa);
      }
    }
    return Svg.figure(name, title, "Each cell: the share of candidate pairs (over all prompts) on which both reward"
        + " models preferred the same candidate, counted over pairs where both expressed a preference (agreeing/total),"
        + " and Cohen's kappa (unweighted) on the preferred side. Kappa corrects for chance: high agreement with low"
        + " kappa means both mostly prefer the same position.",
        Svg.heatMap(name, title, models, values, texts));
  }

  static String pairMargins(RunData run) {
    String name = "pair-margins";
    String title = "Margins of the kept preference pairs";
    List<Double> margins = run.pairs().stream().map(PreferencePair::margin).filter(m -> !m.isNaN()).toList();
    if (margins.isEmpty()) {
      return Svg.empty(name, title, "no preference pair was kept");
    }
    double max = margins.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    double min = Math.min(0, margins.stream().mapToDouble(Double::doubleValue).min().orElse(0));
    double top = Svg.niceTop(max);
    int binsN = 10;
    double width = (top - min) / binsN;
    long[] bins = new long[binsN];
    for (double m : margins) {
      bins[Math.min(binsN - 1, (int) Math.floor((m - min) / width))]++;
    }
    List<String> categories = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < binsN; i++) {
      // One number format for every bin edge, so 0.5-wide bins read 0.0, 0.5, 1.0 rather than 0.00, 0.50, 1.
      double edge = min + i * width;
      categories.add(String.format(Locale.ROOT, width * 10 == Math.rint(width * 10) ? "%.1f" : "%.2f", edge));
      values.add((double) bins[i]);
    }
    return Svg.figure(name, title, margins.size() + " pairs; margin = the primary reward model's chosen minus rejected"
        + " reward, binned from each label to the next.",
        Svg.bars(name, title, categories, List.of(new Svg.Series("pairs", values)), "margin", "pairs", true));
  }

  private static String simulatedTruth(List<String> notes) {
    List<List<String>> rows = new ArrayList<>();
    for (String n : notes) {
      if (n.startsWith("simulated truth")) {
        rows.add(List.of(n.substring("simulated truth:".length()).strip()));
      }
    }
    if (rows.isEmpty()) {
      return "";
    }
    return "<h2>Simulated truth</h2>\n<p class=\"meta\">The simulator knows which response is truly better; these"
        + " lines say how often the chosen side was, after each filter.</p>\n"
        + Html.table("simulated-truth", List.of("chosen truly better"), rows);
  }

  /**
   * What each pair filter gained in truly-better rate, with its interval and flag, and consistency's filter mode
   * against report mode: the manifest's {@code filter_gains}, the same figures the dataset card prints.
   */
  static String filterGains(FilterGains g) {
    StringBuilder sb = new StringBuilder("<h2>What each filter gained</h2>\n<p class=\"meta\">")
        .append(Html.esc(g.caption())).append("</p>\n")
        .append(Html.table("filter-gains", FilterGains.headers(), g.cells()));
    List<FilterGains.Row> flagged = g.flagged();
    sb.append("<p class=\"note\">").append(flagged.isEmpty()
        ? "Every filter that removed pairs has a gain whose interval lies above zero."
        : Html.esc("Flagged: " + String.join("; ", flagged.stream().map(r -> r.filter() + " " + r.flag()).toList()) + "."))
        .append("</p>\n");
    if (!g.consistencyModes().isEmpty()) {
      sb.append("<h3>Consistency: filter mode against report mode</h3>\n<p class=\"meta\">Filter mode drops the"
          + " prompts below the threshold; report mode keeps them and hands the trainer each pair's C(x) (the sidecar's"
          + " consistency) and the set-level label_smoothing = 1 - C, as CREAM trains. The loss weight on the better"
          + " side is the share of the DPO label weight that points the right way when every pair is smoothed by the"
          + " set-level label_smoothing, or each by its own 1 - C(x).</p>\n")
          .append(Html.table("consistency-modes", FilterGains.modeHeaders(), g.modeCells()));
    }
    return sb.toString();
  }

  /** This policy against the previous iteration's (the ranking step), when the run had one. */
  static String ranking(RunData run) {
    RankingSummary r = RankingSummary.read(new RunDirectory(run.root()));
    if (r == null) {
      return "";
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("judge", r.judge() + " (" + r.model() + "), both seat orders"));
    rows.add(List.of("judgments / with a verdict / prompts", r.judgments() + " / " + r.ok() + " / " + r.prompts()));
    rows.add(List.of("wins / losses / ties of " + r.currentPolicy(), r.wins() + " / " + r.losses() + " / " + r.ties()));
    rows.add(List.of("P(" + r.currentPolicy() + " beats " + r.previousPolicy() + ") [95%]", rankingInterval(r)));
    rows.add(List.of("Bradley-Terry difference (log-odds) [95%]",
        r.strengthDifference() == null ? "n/a (one side won every comparison)"
            : fmt(r.strengthDifference()) + " [" + orNa(r.strengthLower()) + ", " + orNa(r.strengthUpper()) + "]"));
    rows.add(List.of("Elo, Bradley-Terry fit (current / previous)", orNa(r.eloCurrent()) + " / " + orNa(r.eloPrevious())));
    rows.add(List.of("Elo, LMSYS online K = 4 (current / previous)", fmt(r.onlineEloCurrent()) + " / " + fmt(r.onlineEloPrevious())));
    rows.add(List.of("verdict", r.verdict()));
    return "<h2>Ranking against the previous iteration</h2>\n<p class=\"meta\">Each response of this iteration's policy"
        + " against the previous policy's response to the same prompt, judged in both seat orders; a tie is half a win."
        + " The interval is a percentile bootstrap over prompts (" + r.replicates() + " replicates, seed " + r.seed()
        + "). Previous run: " + Html.esc(r.previousRun()) + ".</p>\n"
        + Html.table("ranking", List.of("figure", "value"), rows);
  }

  /**
   * The chosen verdict positions of the judge-training pairs (self-rationalization), when the run made them: A/B chosen
   * before and after the balance and the pairs dropped; "not applicable" for an absolute judge.
   */
  static String positionBalance(RunData run) {
    PositionBalance b = PositionBalance.read(new RunDirectory(run.root()));
    if (b == null) {
      return "";
    }
    String head = "<h2>Judge pairs: verdict position balance</h2>\n";
    if (!b.applicable()) {
      return head + "<p class=\"meta\">Not applicable: " + Html.esc(b.judge()) + " is an absolute judge, whose judgments have"
          + " no seat (A or B) to balance.</p>\n";
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("chosen A / B, before", b.chosenABefore() + " / " + b.chosenBBefore()));
    rows.add(List.of("chosen A / B, after", b.chosenA() + " / " + b.chosenB()));
    rows.add(List.of("pairs dropped (rejected/rationalization.jsonl, position_balance)", Long.toString(b.dropped())));
    rows.add(List.of("chosen ties (kept, no seat)", Long.toString(b.chosenTie())));
    return head + "<p class=\"meta\">Pairs of " + Html.esc(b.judge()) + "'s own judgments whose chosen verdict is \"A is"
        + " better\" against those whose chosen verdict is \"B is better\". "
        + (b.enabled()
            ? "Balanced (rationalization.balance): the larger side loses its excess, a seeded choice (seed " + b.seed() + ")."
            : "Not balanced: rationalization.balance is false.")
        + "</p>\n" + Html.table("position-balance", List.of("figure", "value"), rows);
  }

  private static String rankingInterval(RankingSummary r) {
    return r.winRate() == null ? "n/a" : fmt(r.winRate()) + " [" + orNa(r.winRateLower()) + ", " + orNa(r.winRateUpper()) + "]";
  }

  private static String orNa(Double v) {
    return v == null ? "n/a" : fmt(v);
  }

  static String stageTable(RunData run) {
    List<List<String>> rows = new ArrayList<>();
    for (var e : orderedStages(run)) {
      StageCount s = e.getValue();
      rows.add(List.of(e.getKey(), Long.toString(s.in()), Long.toString(s.out()), Long.toString(s.rejected()),
          Long.toString(s.failed()), s.balanced() ? "yes" : "NO",
          String.join(", ", s.reasons().entrySet().stream().map(r -> r.getKey() + " " + r.getValue()).toList())));
    }
    if (rows.isEmpty()) {
      return "<p class=\"note\">The manifest records no stage counts.</p>\n";
    }
    return "<p class=\"meta\">Invariant: in = out + rejected + failed.</p>\n" + Html.table("stages",
        List.of("stage", "in", "out", "rejected", "failed", "balanced", "reasons"), rows);
  }

  static String usageTable(RunData run) {
    Map<String, EndpointUsage> usage = run.manifest().usage() == null ? Map.of() : run.manifest().usage();
    if (usage.isEmpty()) {
      return "<p class=\"note\">No endpoint usage recorded.</p>\n";
    }
    List<List<String>> rows = new ArrayList<>();
    for (var e : new TreeMap<>(usage).entrySet()) {
      EndpointUsage u = e.getValue();
      rows.add(List.of(e.getKey(), String.valueOf(u.model()), Long.toString(u.requests()),
          Long.toString(u.ledgerHits()), Long.toString(u.retries()), Long.toString(u.failures()),
          Long.toString(u.promptTokens()), Long.toString(u.completionTokens()),
          String.format(Locale.ROOT, "%.4f", u.estimatedCost())));
    }
    return Html.table("usage", List.of("endpoint", "model", "requests", "ledger hits", "retries", "failures",
        "prompt tokens", "completion tokens", "estimated cost"), rows);
  }

  /** The manifest's {@code costs}: tokens and cost per stage and endpoint, the total and the cost per kept pair. */
  static String costTable(RunData run) {
    dev.assay.run.RunCosts costs = run.manifest().costs();
    if (costs == null) {
      return "<p class=\"note\">No costs recorded (a manifest from before they were).</p>\n";
    }
    List<List<String>> rows = new ArrayList<>();
    for (dev.assay.run.RunCosts.StageCost s : costs.stages()) {
      rows.add(List.of(s.stage(), s.endpoint(), Long.toString(s.requests()), Long.toString(s.promptTokens()),
          Long.toString(s.completionTokens()), money(s.cost())));
    }
    rows.add(List.of("total", "", "", Long.toString(costs.promptTokens()), Long.toString(costs.completionTokens()), money(costs.cost())));
    return "<p class=\"meta\">Fresh requests only (ledger replays are free); " + costs.keptPairs() + " kept pairs, "
        + money(costs.costPerKeptPair()) + " per kept pair.</p>\n"
        + Html.table("costs", List.of("stage", "endpoint", "requests", "prompt tokens", "completion tokens", "cost"), rows);
  }

  private static String money(Double v) {
    return v == null ? "no price set" : String.format(Locale.ROOT, "$%.6f", v);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  // ---------------------------------------------------------------- across iterations

  static String acrossBody(Path root, List<Path> folders, List<RunData> runs) {
    List<String> labels = folders.stream().map(p -> p.getFileName().toString()).toList();
    StringBuilder sb = new StringBuilder();
    sb.append("<h1>Assay report across iterations</h1>\n<p class=\"meta\">").append(Html.esc(root.toString()))
        .append(" · ").append(runs.size()).append(" iterations</p>\n");
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunData r = runs.get(i);
      Double c = consistencyOf(r);
      rows.add(List.of(labels.get(i), String.valueOf(r.manifest().runId()), String.valueOf(r.manifest().status()),
          c == null ? "not measured" : fmt(c),
          r.manifest().labelSmoothing() == null ? "not measured" : fmt(r.manifest().labelSmoothing()),
          Long.toString(r.pairs().size()),
          rankedOf(r)));
    }
    sb.append(Html.table("iterations", List.of("iteration", "run id", "status", "C", "label_smoothing", "pairs kept",
        "P(beats previous) [95%]"), rows));
    sb.append("<p class=\"meta\">Per-iteration reports: ");
    for (String l : labels) {
      sb.append("<a href=\"").append(Html.esc(l)).append("/report.html\">").append(Html.esc(l)).append("</a> ");
    }
    sb.append("</p>\n");
    sb.append(scoresByIteration(labels, runs)).append(consistencyByIteration(labels, runs))
        .append(pairsByIteration(labels, runs)).append(funnelByIteration(labels, runs));
    sb.append(DriftSection.across(labels, folders, runs));
    return sb.toString();
  }

  private static String rankedOf(RunData run) {
    RankingSummary r = RankingSummary.read(new RunDirectory(run.root()));
    return r == null ? "not ranked" : rankingInterval(r) + " " + r.verdict();
  }

  private static String scoresByIteration(List<String> labels, List<RunData> runs) {
    String name = "scores-by-iteration";
    String title = "Score distribution of the primary judge per iteration";
    Map<String, TreeMap<Integer, Long>> perIter = new LinkedHashMap<>();
    List<String> judges = new ArrayList<>();
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = 0; i < runs.size(); i++) {
      String judge = runs.get(i).primaryJudge();
      TreeMap<Integer, Long> counts = new TreeMap<>();
      for (Judgment j : runs.get(i).judgments()) {
        if (j.kind() == JudgmentKind.ABSOLUTE && j.judge().equals(judge) && j.status() == JudgmentStatus.OK) {
          counts.merge(j.score(), 1L, Long::sum);
        }
      }
      if (!counts.isEmpty()) {
        perIter.put(labels.get(i), counts);
        judges.add(labels.get(i) + ": " + judge);
        lo = Math.min(lo, counts.firstKey());
        hi = Math.max(hi, counts.lastKey());
      }
    }
    if (perIter.isEmpty()) {
      return Svg.empty(name, title, "no absolute judgment parsed in any iteration");
    }
    ScoreBars bars = ScoreBars.of(perIter, lo, hi);
    List<String> categories = bars.categories();
    List<Svg.Series> series = bars.series();
    return Svg.figure(name, title, "Counts of ok scores per iteration, one bar per iteration (" + String.join(", ",
        judges) + ").", Svg.bars(name, title, categories, series, "score", "judgments", true));
  }

  private static String consistencyByIteration(List<String> labels, List<RunData> runs) {
    String name = "consistency-by-iteration";
    String title = "Consistency C per iteration";
    List<Double> values = new ArrayList<>();
    for (RunData r : runs) {
      values.add(consistencyOf(r));
    }
    if (values.stream().allMatch(v -> v == null)) {
      return Svg.empty(name, title, "no iteration measured consistency");
    }
    return Svg.figure(name, title, "C = mean C(x) with the previous iteration's rankings; a gap is an iteration"
        + " without a measurement (iteration 0 has no predecessor).",
        Svg.lines(name, title, labels, List.of(new Svg.Series("C", values)), "iteration", "C", 1.0));
  }

  private static String pairsByIteration(List<String> labels, List<RunData> runs) {
    String name = "pairs-by-iteration";
    String title = "Preference pairs kept per iteration";
    List<Double> values = runs.stream().map(r -> (double) r.pairs().size()).toList();
    return Svg.figure(name, title, "Pairs in pairs/pairs.jsonl of each iteration.",
        Svg.bars(name, title, labels, List.of(new Svg.Series("pairs", values)), "iteration", "pairs", true));
  }

  private static String funnelByIteration(List<String> labels, List<RunData> runs) {
    String name = "funnel-by-iteration";
    String title = "Filter funnel per iteration";
    List<String> rows = new ArrayList<>();
    List<Double> kept = new ArrayList<>();
    List<Double> rejected = new ArrayList<>();
    List<Double> failed = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      for (var e : orderedStages(runs.get(i))) {
        rows.add(labels.get(i) + " " + e.getKey());
        kept.add((double) e.getValue().out());
        rejected.add((double) e.getValue().rejected());
        failed.add((double) e.getValue().failed());
      }
    }
    if (rows.isEmpty()) {
      return Svg.empty(name, title, "no iteration recorded stage counts");
    }
    return Svg.figure(name, title, "Each stage of each iteration: kept, rejected and failed.",
        Svg.stackedRows(name, title, rows, List.of(new Svg.Series("kept", kept), new Svg.Series("rejected", rejected),
            new Svg.Series("failed", failed)), "records (model stages: requests)"));
  }

  /**
   * Grouped score bars: one category per score from {@code min(lo, 1)} to at least four above it (a 1-5 scale shows
   * whole even when a run used part of it), one series per group (judge or iteration) of score counts.
   */
  private record ScoreBars(List<String> categories, List<Svg.Series> series) {
    static ScoreBars of(Map<String, ? extends Map<Integer, Long>> countsByGroup, int lo, int hi) {
      int from = Math.min(lo, 1);
      int to = Math.max(hi, from + 4);
      List<String> categories = new ArrayList<>();
      for (int s = from; s <= to; s++) {
        categories.add(Integer.toString(s));
      }
      List<Svg.Series> series = new ArrayList<>();
      for (var e : countsByGroup.entrySet()) {
        List<Double> counts = new ArrayList<>();
        for (int s = from; s <= to; s++) {
          counts.add((double) e.getValue().getOrDefault(s, 0L));
        }
        series.add(new Svg.Series(e.getKey(), counts));
      }
      return new ScoreBars(categories, series);
    }
  }
}
