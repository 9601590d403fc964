package dev.assay.qualification.filters;

import dev.assay.consensus.ConsensusDecision;
import dev.assay.consensus.ConsensusSpec;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.llm.BackendProvider;
import dev.assay.qualification.JudgedItem;
import dev.assay.qualification.LabelledItem;
import dev.assay.qualification.LabelledSet;
import dev.assay.qualification.ParseRule;
import dev.assay.qualification.Qualification;
import dev.assay.qualification.QualificationSpec;
import dev.assay.qualification.Winner;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.stats.SubsetGain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The filter audit on gold labels: what each of Assay's filters keeps and rejects on a labelled set, and whether what
 * it keeps is more often right.
 *
 * <p><b>Voters.</b> Each voter is a pairwise judge (a replay of published answers, or any backend) run through
 * Assay's own judging by {@link Qualification#judge}, one verdict per item and order. A voter's <em>verdict</em> on an
 * item is the one with output 1 shown first: what a single call gives, and the only order PandaLM published. As a
 * consensus voter its preference is what {@code ScoreWithPairwiseJudge} makes of its verdicts: with both orders, the
 * same output in both is a vote for it, a flip or a tie is 0.5; with one order, that order's verdict (a tie 0.5); no
 * verdict in an order it should have one is no preference (an abstention).
 *
 * <p><b>Filters</b> ({@link AuditedFilter}), each run with every voter as the primary: consensus through {@link
 * ConsensusDecision#decide} (the primary's verdict is its reward, 1 for the output it picked and 0 for the other, so a
 * tie or no verdict gives no pair and is rejected; the voters are all voters, the primary among them, {@code k} and
 * {@code c} as given, {@code m0 = 0}); position consistency (the primary's two orders give the same decisive
 * verdict); and consistency on consensus's output.
 *
 * <p><b>Figures.</b> Accuracy is the primary's verdict against gold over items with decisive gold (no verdict counts
 * as wrong; gold ties are counted apart). Gains come with a {@link SubsetGain} bootstrap interval (unit: item, seeded).
 * A filter that removed items and whose gain over its input has an interval that does not lie above zero (it
 * includes zero or is negative) is flagged.
 *
 * <p>Failure modes: {@link IllegalArgumentException} for no voters, voters whose items do not match the set, a
 * filter that needs both orders on one-order verdicts, or consensus parameters {@link ConsensusSpec} rejects.
 */
public final class FilterAudit {
  private FilterAudit() {}

  /**
   * A voter to replay.
   *
   * @param name its name in the audit
   * @param judge a pairwise judge with n = 1
   * @param backend what answers it (a {@code ReplayProvider} for published answers)
   */
  public record Voter(String name, JudgeDefinition judge, BackendProvider backend) {
    public Voter {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(judge, "judge");
      Objects.requireNonNull(backend, "backend");
      if (judge.kind() != JudgmentKind.PAIRWISE) {
        throw new IllegalArgumentException("voter " + name + ": the audit replays pairwise verdicts, not " + judge.kind().wire());
      }
    }
  }

  /**
   * How one audit runs: the {@code audit-filters} command's flags or a library caller's arguments, never part of a
   * recipe (hence {@code Options}, by the settings naming rule in ARCHITECTURE.md).
   *
   * @param k consensus's k
   * @param c consensus's c
   * @param replicates bootstrap replicates
   * @param seed the bootstrap seed
   * @param level the intervals' coverage
   */
  public record Options(int k, double c, int replicates, long seed, double level) {}

  /**
   * Judges the set with each voter through Assay's judging, in both orders or output 1 first only; each voter's
   * ledger and judgments go to {@code work/<voter>}.
   */
  public static List<VoterVerdicts> judge(
      LabelledSet set, List<Voter> voters, boolean bothOrders, long seed, Path work, PipelineOptions runner) {
    List<VoterVerdicts> out = new ArrayList<>();
    for (Voter v : voters) {
      QualificationSpec spec = new QualificationSpec(set.format().id() + ":" + set.source(), bothOrders, ParseRule.ASSAY, null, seed);
      List<Judgment> judgments = Qualification.judge(set, v.judge(), v.backend(), spec, work.resolve(v.name()), runner);
      out.add(new VoterVerdicts(v.name(), v.judge().model(),
          Qualification.verdicts(set, judgments, JudgmentKind.PAIRWISE, ParseRule.ASSAY, bothOrders)));
    }
    return out;
  }

  /** Audits every filter {@code filters} names with every voter as the primary. */
  public static FilterAuditResult audit(
      String setName,
      List<LabelledItem> items,
      List<VoterVerdicts> voters,
      List<AuditedFilter> filters,
      Options options,
      List<String> notices) {
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("the audit needs at least one voter");
    }
    boolean both = true;
    for (VoterVerdicts v : voters) {
      if (v.items().size() != items.size()) {
        throw new IllegalArgumentException("voter " + v.name() + " judged " + v.items().size() + " items of " + items.size());
      }
      for (int i = 0; i < items.size(); i++) {
        if (!v.items().get(i).item().id().equals(items.get(i).id())) {
          throw new IllegalArgumentException("voter " + v.name() + " item " + i + " is " + v.items().get(i).item().id()
              + ", not the set's " + items.get(i).id());
        }
        both &= v.items().get(i).second() != null;
      }
    }
    for (AuditedFilter f : filters) {
      if (f.needsBothOrders() && !both) {
        throw new IllegalArgumentException(f.label() + " needs every voter's verdicts in both orders");
      }
    }
    List<String> names = voters.stream().map(VoterVerdicts::name).sorted().toList();
    List<List<PairPreference>> preferences = preferences(items, voters);
    long decisive = items.stream().filter(LabelledItem::decisive).count();
    long tie = items.stream().filter(i -> i.gold() != null && i.gold() == 0).count();

    List<FilterAuditResult.Baseline> baselines = new ArrayList<>();
    List<FilterAuditResult.FilterRow> rows = new ArrayList<>();
    for (VoterVerdicts primary : voters) {
      boolean[] correct = new boolean[items.size()];
      long right = 0;
      long noVerdict = 0;
      long saidTie = 0;
      for (int i = 0; i < items.size(); i++) {
        LabelledItem item = items.get(i);
        Winner w = primary.items().get(i).first();
        correct[i] = item.decisive() && item.gold().equals(w.label());
        right += correct[i] ? 1 : 0;
        noVerdict += w == Winner.NONE ? 1 : 0;
        saidTie += item.gold() != null && item.gold() == 0 && w == Winner.TIE ? 1 : 0;
      }
      baselines.add(new FilterAuditResult.Baseline(primary.name(), primary.model(), right, ratio(right, decisive), noVerdict, saidTie));
      ConsensusSpec consensus = new ConsensusSpec(options.k(), options.c(), 0.0, primary.name(), names);
      for (AuditedFilter f : filters) {
        boolean[] input = f.input() == null ? all(items.size()) : kept(f.input(), items, primary, preferences, names, consensus, null);
        Map<String, Long> reasons = new TreeMap<>();
        boolean[] kept = kept(f, items, primary, preferences, names, consensus, reasons);
        rows.add(row(f, primary.name(), items, correct, input, kept, reasons, options));
      }
    }
    return new FilterAuditResult(setName, items.size(), decisive, tie, items.size() - decisive - tie,
        both ? "both" : "one", options.k(), options.c(), options.replicates(), options.seed(), notices, baselines, rows);
  }

  /** Which items {@code f} keeps with {@code primary}; consensus's reject reasons are counted into {@code reasons}. */
  private static boolean[] kept(
      AuditedFilter f, List<LabelledItem> items, VoterVerdicts primary, List<List<PairPreference>> preferences,
      List<String> names, ConsensusSpec consensus, Map<String, Long> reasons) {
    boolean[] kept = new boolean[items.size()];
    for (int i = 0; i < items.size(); i++) {
      JudgedItem judged = primary.items().get(i);
      kept[i] = switch (f) {
        case CONSENSUS -> consensus(items.get(i), judged.first(), primary.name(), preferences.get(i), names, consensus, reasons);
        case CONSISTENCY -> consistent(judged);
        case CONSENSUS_THEN_CONSISTENCY ->
            consensus(items.get(i), judged.first(), primary.name(), preferences.get(i), names, consensus, null)
                && consistent(judged);
      };
    }
    return kept;
  }

  private static boolean consistent(JudgedItem j) {
    return j.first().decisive() && j.first() == j.second();
  }

  /** Assay's consensus rule on one item, the primary's verdict as its reward. */
  private static boolean consensus(
      LabelledItem item, Winner verdict, String primary, List<PairPreference> preferences, List<String> names,
      ConsensusSpec spec, Map<String, Long> reasons) {
    String c1 = Qualification.candidateId(item, 1);
    String c2 = Qualification.candidateId(item, 2);
    List<CandidateReward> rewards = List.of(reward(primary, item, c1, verdict, Winner.OUTPUT_1), reward(primary, item, c2, verdict, Winner.OUTPUT_2));
    ConsensusDecision d = ConsensusDecision.decide(item.id(), rewards, preferences, names, spec);
    if (d.kept() == null && reasons != null) {
      reasons.merge(d.rejected().reason(), 1L, Long::sum);
    }
    return d.kept() != null;
  }

  /** 1 for the output the primary picked, 0 for the other, 0.5 each on a tie, undefined without a verdict. */
  private static CandidateReward reward(String primary, LabelledItem item, String candidate, Winner verdict, Winner self) {
    if (verdict == Winner.NONE) {
      return new CandidateReward(primary, item.id(), candidate, Double.NaN, 1, 0, 0);
    }
    double r = verdict == Winner.TIE ? 0.5 : verdict == self ? 1 : 0;
    return new CandidateReward(primary, item.id(), candidate, r, 1, 1, 0);
  }

  /** Each item's preferences, one per voter that has one, as {@code ScoreWithPairwiseJudge} forms them. */
  private static List<List<PairPreference>> preferences(List<LabelledItem> items, List<VoterVerdicts> voters) {
    List<List<PairPreference>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      LabelledItem item = items.get(i);
      String c1 = Qualification.candidateId(item, 1);
      String c2 = Qualification.candidateId(item, 2);
      boolean oneFirst = c1.compareTo(c2) < 0;
      List<PairPreference> prefs = new ArrayList<>();
      for (VoterVerdicts v : voters) {
        JudgedItem j = v.items().get(i);
        Double p1; // P(output 1 is better)
        long flips = 0;
        if (j.second() == null) {
          p1 = probability(j.first());
        } else if (j.first() == Winner.NONE || j.second() == Winner.NONE) {
          p1 = null; // an incomplete comparison: one order alone would bring the position bias back
        } else if (j.first().decisive() && j.first() == j.second()) {
          p1 = probability(j.first());
        } else {
          flips = j.first().decisive() && j.second().decisive() ? 1 : 0;
          p1 = 0.5;
        }
        if (p1 != null) {
          prefs.add(new PairPreference(v.name(), item.id(), oneFirst ? c1 : c2, oneFirst ? c2 : c1, oneFirst ? p1 : 1 - p1, 1, flips));
        }
      }
      out.add(prefs);
    }
    return out;
  }

  private static Double probability(Winner w) {
    return switch (w) {
      case OUTPUT_1 -> 1.0;
      case OUTPUT_2 -> 0.0;
      case TIE -> 0.5;
      case NONE -> null;
    };
  }

  private static FilterAuditResult.FilterRow row(
      AuditedFilter f, String primary, List<LabelledItem> items, boolean[] correct, boolean[] input, boolean[] kept,
      Map<String, Long> reasons, Options options) {
    long in = 0;
    long k = 0;
    long kd = 0;
    long kc = 0;
    long rd = 0;
    long rc = 0;
    long kt = 0;
    long rt = 0;
    long id = 0;
    long ic = 0;
    for (int i = 0; i < items.size(); i++) {
      if (!input[i]) {
        continue;
      }
      LabelledItem item = items.get(i);
      boolean tie = item.gold() != null && item.gold() == 0;
      in++;
      if (item.decisive()) {
        id++;
        ic += correct[i] ? 1 : 0;
      }
      if (kept[i]) {
        k++;
        kd += item.decisive() ? 1 : 0;
        kc += item.decisive() && correct[i] ? 1 : 0;
        kt += tie ? 1 : 0;
      } else {
        rd += item.decisive() ? 1 : 0;
        rc += item.decisive() && correct[i] ? 1 : 0;
        rt += tie ? 1 : 0;
      }
    }
    FilterAuditResult.Gain overInput = gain(items, correct, kept, input, options);
    FilterAuditResult.Gain overAll = gain(items, correct, kept, all(items.size()), options);
    // A filter that removed nothing cost nothing: there is no loss of pairs to warn about.
    boolean flagged = in > k && !(overInput.lower() != null && overInput.lower() > 0);
    String flag = flagged ? "removed " + (in - k) + " items with no measurable gain" : null;
    return new FilterAuditResult.FilterRow(f.label(), primary, in, k, in - k, ratio(k, in), kd, kc, rd, rc, kt, rt,
        ratio(ic, id), ratio(kc, kd), ratio(rc, rd), overInput, overAll, reasons, flag);
  }

  /** The gain of the kept items over the decisive-gold items of {@code population}. */
  private static FilterAuditResult.Gain gain(
      List<LabelledItem> items, boolean[] correct, boolean[] kept, boolean[] population, Options options) {
    int n = 0;
    for (int i = 0; i < items.size(); i++) {
      n += population[i] && items.get(i).decisive() ? 1 : 0;
    }
    boolean[] c = new boolean[n];
    boolean[] k = new boolean[n];
    int j = 0;
    for (int i = 0; i < items.size(); i++) {
      if (population[i] && items.get(i).decisive()) {
        c[j] = correct[i];
        k[j++] = kept[i];
      }
    }
    SubsetGain g = SubsetGain.of(c, k, options.replicates(), options.seed(), options.level());
    return new FilterAuditResult.Gain(orNull(g.estimate()), orNull(g.interval().lower()), orNull(g.interval().upper()), options.level());
  }

  private static boolean[] all(int n) {
    boolean[] a = new boolean[n];
    java.util.Arrays.fill(a, true);
    return a;
  }

  /** num / den, or null when den is 0: JSON has no NaN. */
  private static Double ratio(long num, long den) {
    return den == 0 ? null : (double) num / den;
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
