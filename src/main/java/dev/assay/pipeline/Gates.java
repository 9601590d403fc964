package dev.assay.pipeline;

import dev.assay.pipeline.recipe.GatesSpec;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.consistency.ConsistencySummary;
import dev.assay.judging.Judgment;
import dev.assay.judging.SampleAgreement;
import dev.assay.rewards.FlipRate;
import dev.assay.run.GateResult;
import dev.assay.run.RunDirectory;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a recipe's {@code gates:} against what a finished run published. Reads the files, not the pipeline, so
 * the same check holds for a resumed run whose requests all came from the ledger.
 */
public final class Gates {
  private Gates() {}

  /** Every gate the recipe sets, in the order of {@link GatesSpec}'s components; empty when none is set. */
  public static List<GateResult> check(Recipe recipe, RunDirectory dir) {
    GatesSpec g = recipe.gates();
    List<GateResult> out = new ArrayList<>();
    if (g == null) {
      return out;
    }
    if (g.minConsistency() != null) {
      List<ConsistencySummary> s = dir.read("consistency", "summary.json", ConsistencySummary.class);
      Double c = s.isEmpty() ? null : s.get(0).consistency();
      out.add(GateResult.check("min_consistency", "C", c, g.minConsistency()));
    }
    if (g.minParseRate() != null) {
      for (var judge : recipe.judges()) {
        // Imported judgments were parsed by their producer; only this run's model calls say how well a judge parses.
        SampleAgreement a = SampleAgreement.of(judge.name(), judgmentsOf(dir, judge.name(), true));
        Double rate = a.requests() == 0 ? null : a.parseRate();
        out.add(GateResult.check("min_parse_rate", "judge " + judge.name() + " parse rate", rate, g.minParseRate()));
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
    return out;
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
