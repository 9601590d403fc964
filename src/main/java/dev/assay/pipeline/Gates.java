package dev.assay.pipeline;

import dev.assay.pipeline.recipe.GatesSpec;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.consistency.ConsistencySummary;
import dev.assay.judging.Judgment;
import dev.assay.judging.SampleAgreement;
import dev.assay.rewards.pairwise.FlipRate;
import dev.assay.run.GateResult;
import dev.assay.run.RunDirectory;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a recipe's {@code gates:} against what a finished run published. Reads the files, not the pipeline, so
 * the same check holds for a resumed run whose requests all came from the ledger. {@code min_parse_rate} and
 * {@code max_failure_rate} hold by default ({@link GatesSpec#DEFAULT_MIN_PARSE_RATE},
 * {@link GatesSpec#DEFAULT_MAX_FAILURE_RATE}); a default gate is marked so ({@link #isDefault}), and one not
 * measured (a judge with no model calls, a stage with no input) is left out instead of failing, since the recipe did
 * not ask for it.
 */
public final class Gates {
  private Gates() {}

  /**
   * Every gate the recipe sets, in the order of {@link GatesSpec}'s components, and the default gates it does not set.
   *
   * @param stages the run's stage counts (what {@code max_failure_rate} reads)
   */
  public static List<GateResult> check(Recipe recipe, RunDirectory dir, java.util.Map<String, dev.assay.run.StageCount> stages) {
    GatesSpec set = recipe.gates();
    GatesSpec g = set == null ? new GatesSpec(null, null, null, null, null, null) : set;
    List<GateResult> out = new ArrayList<>();
    if (g.minConsistency() != null) {
      List<ConsistencySummary> s = dir.read("consistency", "summary.json", ConsistencySummary.class);
      Double c = s.isEmpty() ? null : s.get(0).consistency();
      out.add(GateResult.check("min_consistency", "C", c, g.minConsistency()));
    }
    double minParse = GatesSpec.minParseRate(g);
    for (var judge : recipe.judges()) {
      // Imported judgments were parsed by their producer; only this run's model calls say how well a judge parses.
      SampleAgreement a = SampleAgreement.of(judge.name(), judgmentsOf(dir, judge.name(), true));
      Double rate = a.requests() == 0 ? null : a.parseRate();
      if (rate != null || g.minParseRate() != null) {
        out.add(GateResult.check("min_parse_rate", "judge " + judge.name() + " parse rate", rate, minParse));
      }
    }
    if (g.maxFlipRate() != null) {
      boolean any = false;
      for (var judge : recipe.judges()) {
        if (judge.kind().equals("pairwise")) {
          any = true;
          double rate = FlipRate.of(judge.name(), judgmentsOf(dir, judge.name(), false)).rate();
          out.add(GateResult.check("max_flip_rate", "judge " + judge.name() + " flip rate", rate, g.maxFlipRate()));
        }
      }
      if (!any) {
        out.add(GateResult.check("max_flip_rate", "flip rate (no pairwise judge)", null, g.maxFlipRate()));
      }
    }
    if (g.minPairs() != null) {
      double pairs = dir.count("pairs", "pairs.jsonl");
      out.add(GateResult.check("min_pairs", "pairs", pairs, g.minPairs()));
    }
    double maxFailure = GatesSpec.maxFailureRate(g);
    for (var e : stages.entrySet()) {
      if (e.getValue().in() > 0) {
        double rate = (double) e.getValue().failed() / e.getValue().in();
        out.add(GateResult.check("max_failure_rate", "stage " + e.getKey() + " failure rate", rate, maxFailure));
      }
    }
    return out;
  }

  /** Whether {@code gate} was checked by default: the recipe's {@code gates:} does not set its key. */
  public static boolean isDefault(Recipe recipe, GateResult gate) {
    GatesSpec g = recipe.gates();
    return switch (gate.gate()) {
      case "min_parse_rate" -> g == null || g.minParseRate() == null;
      case "max_failure_rate" -> g == null || g.maxFailureRate() == null;
      default -> false;
    };
  }

  /** One judge's published judgments (only its model calls with {@code calledOnly}): one judge at a time in memory. */
  private static List<Judgment> judgmentsOf(RunDirectory dir, String judge, boolean calledOnly) {
    List<Judgment> out = new ArrayList<>();
    dir.forEach("judgments", "judgments.jsonl", Judgment.class, j -> {
      if (j.judge().equals(judge) && (!calledOnly || j.source().equals("llm"))) {
        out.add(j);
      }
    });
    return out;
  }

  /** Whether every gate passed (true for no gates). */
  public static boolean passed(List<GateResult> results) {
    return results.stream().allMatch(GateResult::passed);
  }
}
