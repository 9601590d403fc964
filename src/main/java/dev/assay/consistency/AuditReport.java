package dev.assay.consistency;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.assay.io.InputException;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentImport;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.Verdict;
import dev.assay.run.RunDirectory;
import dev.assay.stats.CohenKappa;
import dev.assay.stats.KappaResult;
import dev.assay.stats.KappaWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The consistency audit between two iterations of a run ({@code ./assay audit}): on the candidates both iterations
 * judged, how far the two iterations' judges agree, so a run can stop when the reward drifts.
 *
 * <p>Input: the anchor set's judgments, {@code anchor/judgments.jsonl}, when both run directories have one (a recipe's
 * {@code anchor:} section, {@link AnchorSpec}: the same responses judged by every iteration's judge, restricted to the
 * current iteration's {@code anchor/anchor-set.jsonl}; the default judge is the first of its anchor judges), else
 * {@code judgments/judgments.jsonl} (or {@code .jsonl.gz}); {@link Options#on} chooses. Each candidate's score per
 * iteration is the mean of the ok scores of that iteration's absolute judge; candidates are matched by id and belong
 * to the prompt in their {@code item_id}. On the matched candidates:
 *
 * <ul>
 *   <li>per prompt, tau-b and {@code C(x) = (tau_b + 1) / 2} between the two iterations' mean scores, and the
 *       set-level {@code C} and {@code label_smoothing = 1 - C}: {@link PromptConsistency#of} and {@link
 *       ConsistencyTally}, the same code as {@link MeasureConsistency} (undefined prompts are counted, not averaged);
 *   <li>Cohen's kappa between the two iterations' mean scores rounded half up, unweighted and quadratic (categories
 *       are every integer from the lowest to the highest rounded score, so quadratic weights are by value);
 *   <li>the distribution of the individual ok scores per iteration (mean, population standard deviation, histogram)
 *       and the total variation distance between them, {@code ½ Σ |p_s - q_s|};
 *   <li>per iteration and pairwise judge, the flip rate: among both-order comparisons of the same pair and sample
 *       with an ok verdict in each order, the share whose verdict followed the position (A both times, or B both
 *       times). Absent when an iteration has no pairwise judgments.
 * </ul>
 *
 * <p>With a minimum consistency, the {@link Gate} says whether C reaches it and by how much it falls short; an
 * undefined C fails the gate (consistency that cannot be measured is not shown). Every ratio comes with its counts;
 * an undefined value is null.
 *
 * <p>Failure modes ({@link InputException}, naming the file and, for a bad record, the line and field): a missing run
 * directory or judgments file, any record {@link JudgmentImport} rejects, no ok absolute judgment of the judge, more
 * than one absolute judge when none was named, a named judge with no ok absolute judgment, a candidate filed under
 * two prompts, and no candidate judged in both iterations.
 *
 * @param current what was read from the current iteration
 * @param previous what was read from the previous iteration
 * @param matching how many candidates and prompts the two have in common
 * @param consistency the set-level consistency and its counts
 * @param prompts per-prompt consistency, sorted by prompt id
 * @param kappa Cohen's kappa between the rounded mean scores, unweighted
 * @param kappaQuadratic the same, quadratic weights
 * @param scores the score distributions and their shift
 * @param flipRates per iteration, per pairwise judge; null when neither iteration has pairwise judgments
 * @param gate the consistency gate; null when no minimum was given
 * @param on what was compared: {@code anchor} (the anchor set) or {@code candidates} (the runs' own candidates)
 */
public record AuditReport(
    Side current,
    Side previous,
    Matching matching,
    ConsistencySummary consistency,
    List<PromptConsistency> prompts,
    KappaFigure kappa,
    KappaFigure kappaQuadratic,
    ScoreShift scores,
    FlipRates flipRates,
    Gate gate,
    String on) {
  public AuditReport {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(previous, "previous");
    prompts = List.copyOf(prompts);
  }

  /**
   * Which judges to compare and the gate.
   *
   * @param judge the current iteration's absolute judge; null = the only one in the file
   * @param previousJudge the previous iteration's absolute judge; null = {@code judge} when given, else the only one
   * @param minConsistency the lowest acceptable C, in [0, 1]; null = no gate
   * @param on which judgments to compare; null = {@link On#AUTO}
   */
  public record Options(String judge, String previousJudge, Double minConsistency, On on) {
    public Options {
      if (minConsistency != null && !(minConsistency >= 0 && minConsistency <= 1)) {
        throw new IllegalArgumentException("--min-consistency must be in [0, 1]: " + minConsistency);
      }
      on = on == null ? On.AUTO : on;
    }

    /** Options on the anchor set when both iterations have one, else on the candidates. */
    public Options(String judge, String previousJudge, Double minConsistency) {
      this(judge, previousJudge, minConsistency, On.AUTO);
    }

    public static Options defaults() {
      return new Options(null, null, null);
    }
  }

  /** Which judgments the audit compares. */
  public enum On {
    /** The anchor set when both run directories have its judgments, else the candidates. */
    AUTO,
    /** The anchor set ({@code anchor/judgments.jsonl}); a run directory without one is bad input. */
    ANCHOR,
    /** The run's own candidates ({@code judgments/judgments.jsonl}). */
    CANDIDATES
  }

  /**
   * One iteration's judgments.
   *
   * @param dir the run directory
   * @param file the judgments file read ({@code anchor/judgments.jsonl} on the anchor set)
   * @param judge the absolute judge whose scores were used
   * @param judgments judgment records in the file (all judges, kinds and statuses)
   * @param okScores ok absolute judgments of {@code judge}
   * @param candidates candidates with at least one such score
   */
  public record Side(String dir, String file, String judge, long judgments, long okScores, long candidates) {}

  /**
   * What the two iterations have in common.
   *
   * @param candidates candidates scored in both iterations: everything below is over these
   * @param currentOnly candidates scored only in the current iteration
   * @param previousOnly candidates scored only in the previous iteration
   * @param prompts prompts with at least one matched candidate
   */
  public record Matching(long candidates, long currentOnly, long previousOnly, long prompts) {}

  /**
   * Cohen's kappa between the iterations' rounded mean scores.
   *
   * @param kappa the statistic; null when undefined (see {@code note})
   * @param observed observed (weighted) agreement
   * @param expected chance (weighted) agreement
   * @param items candidates compared
   * @param agreeing candidates with equal rounded scores
   * @param categories scores from the lowest to the highest rounded score
   * @param weighting unweighted or quadratic
   * @param note why kappa is null, when it is
   */
  public record KappaFigure(
      @JsonInclude(ALWAYS) Double kappa,
      double observed,
      double expected,
      long items,
      long agreeing,
      int categories,
      String weighting,
      String note) {}

  /**
   * The individual ok scores of one iteration on the matched candidates.
   *
   * @param n scores
   * @param mean their mean
   * @param std their population standard deviation
   * @param histogram count per score, in score order
   */
  public record Distribution(long n, double mean, double std, Map<Integer, Long> histogram) {
    public Distribution {
      histogram = java.util.Collections.unmodifiableMap(new TreeMap<>(histogram));
    }
  }

  /**
   * How the score distribution moved.
   *
   * @param current the current iteration's scores
   * @param previous the previous iteration's scores
   * @param meanShift current mean minus previous mean
   * @param totalVariation total variation distance between the two score distributions, in [0, 1]
   */
  public record ScoreShift(Distribution current, Distribution previous, double meanShift, double totalVariation) {}

  /**
   * Position flips of one pairwise judge.
   *
   * @param comparisons same pair and sample judged ok in both orders
   * @param flips comparisons whose verdict followed the position
   * @param rate {@code flips / comparisons}; null when there are no comparisons
   */
  public record FlipRate(long comparisons, long flips, @JsonInclude(ALWAYS) Double rate) {}

  /**
   * Flip rates per pairwise judge.
   *
   * @param current the current iteration's judges; null when it has no pairwise judgments
   * @param previous the previous iteration's judges; null when it has no pairwise judgments
   */
  public record FlipRates(Map<String, FlipRate> current, Map<String, FlipRate> previous) {}

  /**
   * Whether consistency reaches the minimum.
   *
   * @param minConsistency the minimum asked for
   * @param consistency C; null when undefined
   * @param passed whether {@code C >= minConsistency}
   * @param shortfall {@code minConsistency - C} when it failed on a defined C, else null
   */
  public record Gate(
      double minConsistency, @JsonInclude(ALWAYS) Double consistency, boolean passed, Double shortfall) {}

  /** The audit of {@code current} against {@code previous} with the default options (one absolute judge each). */
  public static AuditReport compute(Path current, Path previous) {
    return compute(current, previous, Options.defaults());
  }

  /** The audit of {@code current} against {@code previous}. */
  public static AuditReport compute(Path current, Path previous, Options options) {
    boolean anchor =
        options.on() == On.ANCHOR
            || (options.on() == On.AUTO && Iteration.hasAnchor(current) && Iteration.hasAnchor(previous));
    Set<String> anchorSet = anchor ? Iteration.anchorSet(current) : null;
    Iteration cur = Iteration.read(current, options.judge(), anchorSet);
    Iteration prev =
        Iteration.read(previous, options.previousJudge() != null ? options.previousJudge() : options.judge(), anchorSet);

    TreeSet<String> matched = new TreeSet<>(cur.scores.keySet());
    matched.retainAll(prev.scores.keySet());
    if (matched.isEmpty()) {
      throw new InputException(
          prev.file.toString(), 0, "candidate_a",
          "no candidate was judged in both iterations (current " + cur.scores.size() + " candidates by judge "
              + cur.judge + ", previous " + prev.scores.size() + " by judge " + prev.judge
              + "); the audit compares the same candidate ids");
    }
    Map<String, Map<String, Double>> curByPrompt = new TreeMap<>();
    Map<String, Map<String, Double>> prevByPrompt = new TreeMap<>();
    for (String id : matched) {
      String prompt = cur.promptOf.get(id);
      if (!prompt.equals(prev.promptOf.get(id))) {
        throw new InputException(prev.file.toString(), 0, "item_id",
            "candidate " + id + " is under prompt '" + prev.promptOf.get(id) + "' here but '" + prompt + "' in "
                + cur.file);
      }
      curByPrompt.computeIfAbsent(prompt, k -> new HashMap<>()).put(id, mean(cur.scores.get(id)));
      prevByPrompt.computeIfAbsent(prompt, k -> new HashMap<>()).put(id, mean(prev.scores.get(id)));
    }
    List<PromptConsistency> prompts = new ArrayList<>();
    ConsistencyTally tally = ConsistencyTally.empty();
    for (String prompt : curByPrompt.keySet()) {
      PromptConsistency p = PromptConsistency.of(prompt, curByPrompt.get(prompt), prevByPrompt.get(prompt));
      prompts.add(p);
      tally = tally.plusKept(p);
    }
    ConsistencySummary summary = tally.summary();

    int[] a = new int[matched.size()];
    int[] b = new int[matched.size()];
    int i = 0;
    for (String id : matched) {
      a[i] = roundHalfUp(mean(cur.scores.get(id)));
      b[i] = roundHalfUp(mean(prev.scores.get(id)));
      i++;
    }
    Matching matching =
        new Matching(matched.size(), cur.scores.size() - matched.size(), prev.scores.size() - matched.size(),
            curByPrompt.size());
    Distribution curDist = distribution(cur.scores, matched);
    Distribution prevDist = distribution(prev.scores, matched);
    ScoreShift shift =
        new ScoreShift(curDist, prevDist, curDist.mean() - prevDist.mean(), totalVariation(curDist, prevDist));
    Map<String, FlipRate> curFlips = flipRates(cur.judgments);
    Map<String, FlipRate> prevFlips = flipRates(prev.judgments);
    FlipRates flips = curFlips == null && prevFlips == null ? null : new FlipRates(curFlips, prevFlips);
    Gate gate = null;
    if (options.minConsistency() != null) {
      double min = options.minConsistency();
      Double c = summary.consistency();
      boolean passed = c != null && c >= min;
      gate = new Gate(min, c, passed, c != null && !passed ? min - c : null);
    }
    return new AuditReport(cur.side(), prev.side(), matching, summary, prompts,
        kappa(a, b, KappaWeights.unweighted()), kappa(a, b, KappaWeights.quadratic()), shift, flips, gate,
        anchor ? "anchor" : "candidates");
  }

  /** One run directory's judgments, reduced to what the audit needs. */
  private static final class Iteration {
    final Path dir;
    final Path file;
    final String judge;
    final List<Judgment> judgments;
    final Map<String, List<Integer>> scores = new TreeMap<>();
    final Map<String, String> promptOf = new HashMap<>();
    long ok;

    private Iteration(Path dir, Path file, String judge, List<Judgment> judgments) {
      this.dir = dir;
      this.file = file;
      this.judge = judge;
      this.judgments = judgments;
    }

    static boolean hasAnchor(Path dir) {
      return Files.isRegularFile(dir.resolve(ANCHOR).resolve("judgments.jsonl"))
          && Files.isRegularFile(dir.resolve(ANCHOR).resolve(ANCHOR_SET));
    }

    /** The ids of the anchor set the current iteration judged. */
    static Set<String> anchorSet(Path dir) {
      Path file = dir.resolve(ANCHOR).resolve(ANCHOR_SET);
      if (!Files.isRegularFile(file)) {
        throw new InputException(file.toString(), 0, null,
            "no anchor set: the run had no anchor: section (audit its candidates with --on candidates)");
      }
      Set<String> ids = new TreeSet<>();
      dev.assay.generation.CandidateFile.forEach(file, 0, c -> ids.add(c.id()));
      return ids;
    }

    /**
     * @param anchorSet the anchor set's ids, to read {@code anchor/judgments.jsonl} restricted to them; null to read
     *     the run's judgments of its own candidates
     */
    static Iteration read(Path dir, String judge, Set<String> anchorSet) {
      if (!Files.isDirectory(dir)) {
        throw new InputException(dir.toString(), 0, null, "run directory not found");
      }
      RunDirectory run = new RunDirectory(dir);
      Path file = anchorSet != null ? run.output(ANCHOR, "judgments.jsonl") : run.output("judgments", "judgments.jsonl");
      Path gz = run.output("judgments", "judgments.jsonl.gz");
      if (anchorSet == null && !Files.exists(file) && Files.exists(gz)) {
        file = gz;
      }
      if (anchorSet != null && !Files.isRegularFile(file)) {
        throw new InputException(file.toString(), 0, null, "no anchor judgments: the run had no anchor: section");
      }
      List<Judgment> judgments = JudgmentImport.read(file);
      if (anchorSet != null) {
        judgments = judgments.stream().filter(j -> anchorSet.contains(j.candidateA())).toList();
        if (judge == null) {
          judge = firstAnchorJudge(dir, judgments);
        }
      }
      TreeSet<String> absolute = new TreeSet<>();
      for (Judgment j : judgments) {
        if (j.kind() == JudgmentKind.ABSOLUTE && j.status() == JudgmentStatus.OK) {
          absolute.add(j.judge());
        }
      }
      String name = file.toString();
      if (judge == null) {
        if (absolute.isEmpty()) {
          throw new InputException(name, 0, "score", "no ok absolute judgment to audit");
        }
        if (absolute.size() > 1) {
          throw new InputException(name, 0, "judge",
              "several absolute judges " + absolute + "; name one with --judge (and --previous-judge)");
        }
        judge = absolute.first();
      } else if (!absolute.contains(judge)) {
        throw new InputException(name, 0, "judge",
            "no ok absolute judgment by judge '" + judge + "'" + (absolute.isEmpty() ? "" : "; judges: " + absolute));
      }
      Iteration it = new Iteration(dir, file, judge, judgments);
      for (Judgment j : judgments) {
        if (j.kind() != JudgmentKind.ABSOLUTE || j.status() != JudgmentStatus.OK || !j.judge().equals(judge)) {
          continue;
        }
        String before = it.promptOf.putIfAbsent(j.candidateA(), j.itemId());
        if (before != null && !before.equals(j.itemId())) {
          throw new InputException(name, 0, "item_id",
              "candidate " + j.candidateA() + " is judged under prompts '" + before + "' and '" + j.itemId() + "'");
        }
        it.scores.computeIfAbsent(j.candidateA(), k -> new ArrayList<>()).add(j.score());
        it.ok++;
      }
      return it;
    }

    Side side() {
      return new Side(dir.toString(), file.toString(), judge, judgments.size(), ok, scores.size());
    }
  }

  /** The folder of the anchor step's outputs and its set's file. */
  static final String ANCHOR = "anchor";
  static final String ANCHOR_SET = "anchor-set.jsonl";

  /**
   * The iteration's own judge on the anchor set: the first judge its {@code anchor/summary.json} lists (the recipe's
   * first anchor judge; the anchor judge on another endpoint comes last), or null to take the only one there is.
   */
  private static String firstAnchorJudge(Path dir, List<Judgment> judgments) {
    Path summary = dir.resolve(ANCHOR).resolve("summary.json");
    if (!Files.isRegularFile(summary)) {
      return null;
    }
    try {
      var judges = dev.assay.io.Json.mapper().readTree(summary.toFile()).path("judges");
      return judges.isArray() && judges.size() > 0 ? judges.get(0).asText() : null;
    } catch (java.io.IOException e) {
      throw new InputException(summary.toString(), 0, null, "cannot read: " + e.getMessage());
    }
  }

  private static double mean(List<Integer> scores) {
    long sum = 0;
    for (int s : scores) {
      sum += s;
    }
    return (double) sum / scores.size();
  }

  private static int roundHalfUp(double v) {
    return (int) Math.floor(v + 0.5);
  }

  private static KappaFigure kappa(int[] a, int[] b, KappaWeights weights) {
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = 0; i < a.length; i++) {
      lo = Math.min(lo, Math.min(a[i], b[i]));
      hi = Math.max(hi, Math.max(a[i], b[i]));
    }
    // Every score in between, used or not, so that quadratic weights measure distance in score points.
    int[] categories = new int[hi - lo + 1];
    for (int i = 0; i < categories.length; i++) {
      categories[i] = lo + i;
    }
    KappaResult k = CohenKappa.of(a, b, weights, categories);
    boolean undefined = Double.isNaN(k.kappa());
    return new KappaFigure(undefined ? null : k.kappa(), k.observed(), k.expected(), k.items(), k.agreeing(),
        k.categories(), weights.name(),
        undefined ? "both iterations gave every candidate the same rounded score " + lo : null);
  }

  private static Distribution distribution(Map<String, List<Integer>> scores, TreeSet<String> matched) {
    TreeMap<Integer, Long> histogram = new TreeMap<>();
    long n = 0;
    long sum = 0;
    for (String id : matched) {
      for (int s : scores.get(id)) {
        histogram.merge(s, 1L, Long::sum);
        n++;
        sum += s;
      }
    }
    double mean = (double) sum / n;
    double squares = 0;
    for (var e : histogram.entrySet()) {
      double d = e.getKey() - mean;
      squares += d * d * e.getValue();
    }
    return new Distribution(n, mean, Math.sqrt(squares / n), histogram);
  }

  private static double totalVariation(Distribution p, Distribution q) {
    TreeSet<Integer> scores = new TreeSet<>(p.histogram().keySet());
    scores.addAll(q.histogram().keySet());
    double sum = 0;
    for (int s : scores) {
      sum += Math.abs((double) p.histogram().getOrDefault(s, 0L) / p.n() - (double) q.histogram().getOrDefault(s, 0L) / q.n());
    }
    return sum / 2;
  }

  /** Flip rates per pairwise judge; null when there is no pairwise judgment at all. */
  private static Map<String, FlipRate> flipRates(List<Judgment> judgments) {
    // (judge, unordered pair, sample) -> verdict per order; the order is recorded by which candidate was shown first.
    Map<String, Verdict[]> comparisons = new TreeMap<>();
    TreeSet<String> judges = new TreeSet<>();
    for (Judgment j : judgments) {
      if (j.kind() != JudgmentKind.PAIRWISE) {
        continue;
      }
      judges.add(j.judge());
      if (j.status() != JudgmentStatus.OK) {
        continue;
      }
      boolean forward = j.candidateA().compareTo(j.candidateB()) < 0;
      String lo = forward ? j.candidateA() : j.candidateB();
      String hi = forward ? j.candidateB() : j.candidateA();
      String key = j.judge() + "\u0000" + lo + "\u0000" + hi + "\u0000" + j.sample();
      comparisons.computeIfAbsent(key, k -> new Verdict[2])[forward ? 0 : 1] = j.verdict();
    }
    if (judges.isEmpty()) {
      return null;
    }
    Map<String, long[]> counts = new TreeMap<>();
    for (String judge : judges) {
      counts.put(judge, new long[2]);
    }
    for (var e : comparisons.entrySet()) {
      Verdict[] v = e.getValue();
      if (v[0] == null || v[1] == null) {
        continue;
      }
      long[] c = counts.get(e.getKey().substring(0, e.getKey().indexOf('\u0000')));
      c[0]++;
      if (v[0] == v[1] && v[0] != Verdict.TIE) {
        c[1]++;
      }
    }
    Map<String, FlipRate> out = new TreeMap<>();
    counts.forEach((judge, c) -> out.put(judge, new FlipRate(c[0], c[1], c[0] == 0 ? null : (double) c[1] / c[0])));
    return out;
  }

  /** Sorts prompts for a reader: lowest C(x) first, undefined last, then by id. */
  static Comparator<PromptConsistency> lowestFirst() {
    return Comparator.comparing((PromptConsistency p) -> p.consistency() == null ? Double.POSITIVE_INFINITY
            : p.consistency())
        .thenComparing(PromptConsistency::promptId);
  }
}
