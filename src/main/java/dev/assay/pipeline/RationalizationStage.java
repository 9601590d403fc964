package dev.assay.pipeline;

import dev.assay.curation.rationalization.RationalizationSpec;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.curation.rationalization.BuildRationalizationPairs;
import dev.assay.curation.rationalization.GoldLabel;
import dev.assay.curation.rationalization.JudgePrompt;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.rationalization.PositionBalance;
import dev.assay.curation.rationalization.PseudoGold;
import dev.assay.curation.rationalization.RationalizationRejection;
import dev.assay.curation.rationalization.RationalizationMetrics;
import dev.assay.curation.rationalization.TieBreak;
import dev.assay.generation.Candidate;
import dev.assay.io.InputException;
import dev.assay.io.JsonCoder;
import dev.assay.io.JsonlReader;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgeItem;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.PairCandidates;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.ReferenceMode;
import dev.assay.run.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Wires self-rationalization into a run: one judge's judgments (absolute, or pairwise: the majority verdict of each
 * ordered pair as pseudo-gold) plus the judge prompts they answered (and gold labels in gold mode) into {@code pairs/pairs.jsonl} (kind {@code judge}), {@code sft/sft.jsonl} and
 * {@code rejected/rationalization.jsonl}.
 *
 * <p>The judge prompt is what the trained judge will see: for a judge of this recipe, its own template, rubric and
 * (in {@code given} mode) the reference; for imported Prometheus judgments, the spec's template with each item's
 * rubric and reference. Adapted references are not known here, so such judges are trained on the prompt without one.
 */
final class RationalizationStage {
  private final PCollectionTuple out;

  private RationalizationStage(PCollectionTuple out) {
    this.out = out;
  }

  static RationalizationStage attach(
      Recipe recipe,
      Path recipeDir,
      List<JudgeDefinition> judges,
      PrometheusEvalImport.Result imported,
      PCollection<Candidate> candidates,
      PCollection<Judgment> judgments,
      String runId,
      TieBreak tieBreak) {
    RationalizationSpec spec = recipe.rationalization();
    String judgeName = spec.judge();
    JudgeDefinition own = ownJudge(spec, judges);
    JudgmentKind kind = own == null ? JudgmentKind.ABSOLUTE : own.kind();
    PCollection<Judgment> ofJudge =
        judgments.apply("RationalizeJudge-" + judgeName, Filter.by(j -> j.judge().equals(judgeName) && j.kind() == kind));
    PCollection<JudgePrompt> prompts = judgePrompts(spec, recipeDir, judges, imported, candidates);
    PCollectionTuple in =
        PCollectionTuple.of(BuildRationalizationPairs.JUDGMENTS, ofJudge).and(BuildRationalizationPairs.PROMPTS, prompts);
    BuildRationalizationPairs build;
    if (spec.mode().equals("gold")) {
      Path goldFile = recipeDir.resolve(spec.gold());
      PCollection<GoldLabel> gold =
          candidates.getPipeline().apply("ReadGold", Create.of(readGold(goldFile)).withCoder(JsonCoder.of(GoldLabel.class)));
      in = in.and(BuildRationalizationPairs.GOLD, gold);
      build = BuildRationalizationPairs.withGold(tieBreak, runId, recipe.iteration());
    } else {
      PseudoGold rule = spec.majorityShare() == null ? PseudoGold.majority() : PseudoGold.atLeast(spec.majorityShare());
      build = BuildRationalizationPairs.withPseudoGold(rule, tieBreak, runId, recipe.iteration());
    }
    build = build.minDistance(spec.minDistance());
    if (spec.balance()) {
      build = build.balancingPositions(recipe.seed());
    }
    return new RationalizationStage(in.apply(build));
  }

  /**
   * The judge prompt of every item the rationalized judge judged: rendered from the candidates with the judge's (or
   * {@code rationalization.template}'s) template, or, for imported judgments, from the import. A pairwise judge's
   * items are the ordered pairs of each prompt's candidates, both seat orders, as it judged them.
   */
  static PCollection<JudgePrompt> judgePrompts(
      RationalizationSpec spec,
      Path recipeDir,
      List<JudgeDefinition> judges,
      PrometheusEvalImport.Result imported,
      PCollection<Candidate> candidates) {
    JudgeDefinition own = ownJudge(spec, judges);
    if (own == null) {
      return candidates
          .getPipeline()
          .apply("JudgePrompts", Create.of(importedJudgePrompts(spec, recipeDir, imported)).withCoder(JsonCoder.of(JudgePrompt.class)));
    }
    PromptTemplate template = spec.template() == null ? own.template() : PromptTemplate.load(recipeDir.resolve(spec.template()));
    boolean showReference = own.referenceMode() == ReferenceMode.GIVEN;
    var rubric = own.rubric();
    if (own.kind() == JudgmentKind.PAIRWISE) {
      return candidates
          .apply("PairsToRationalize", PairCandidates.bothOrders())
          .apply(
              "JudgePrompts",
              MapElements.into(TypeDescriptor.of(JudgePrompt.class))
                  .via((JudgeItem i) -> JudgePrompt.forPair(i.a(), i.b(), showReference ? i.a().reference() : null, rubric, template)))
          .setCoder(JsonCoder.of(JudgePrompt.class));
    }
    return candidates
        .apply(
            "JudgePrompts",
            MapElements.into(TypeDescriptor.of(JudgePrompt.class))
                .via((Candidate c) -> JudgePrompt.forCandidate(c, showReference ? c.reference() : null, rubric, template)))
        .setCoder(JsonCoder.of(JudgePrompt.class));
  }

  /** The rationalized judge's definition when it is configured in {@code judges:}; null for imported judgments. */
  static JudgeDefinition ownJudge(RationalizationSpec spec, List<JudgeDefinition> judges) {
    return judges.stream().filter(j -> j.name().equals(spec.judge())).findFirst().orElse(null);
  }

  /**
   * The judge prompts of imported judgments (prometheus-eval), rendered with {@code rationalization.template}.
   *
   * @throws InputException when there is no import or no template to render them with
   */
  static List<JudgePrompt> importedJudgePrompts(RationalizationSpec spec, Path recipeDir, PrometheusEvalImport.Result imported) {
    if (imported == null || spec.template() == null) {
      throw new InputException(
          "rationalization", 0, "rationalization.judge",
          "judge '" + spec.judge() + "' is not configured in judges:; imported judgments (prometheus-eval) need"
              + " rationalization.template to render the judge prompt");
    }
    return JudgePrompt.forImport(imported, PromptTemplate.load(recipeDir.resolve(spec.template())));
  }

  private static List<GoldLabel> readGold(Path file) {
    List<GoldLabel> gold = new ArrayList<>();
    for (JsonlReader.Line line : JsonlReader.readAll(file)) {
      var score = line.node().get("score");
      if (score == null || !score.isIntegralNumber()) {
        throw new InputException(line.file(), line.number(), "score", "expected an integer score");
      }
      gold.add(new GoldLabel(line.id("item_id"), score.asInt()));
    }
    return gold;
  }

  /**
   * Writes the pairs, the judge SFT set and the rejections as the run's shard outputs.
   */
  void write(RunDirectory dir) {
    RunPlan.writeJsonl(out.get(BuildRationalizationPairs.PAIRS), dir, "pairs");
    RunPlan.writeJsonl(out.get(BuildRationalizationPairs.SFT), dir, "sft");
    RunPlan.writeJsonl(out.get(BuildRationalizationPairs.REJECTED), dir, "rejected-rationalization");
  }

  static List<RunDirectory.Publication> outputs() {
    return List.of(
        new RunDirectory.Publication("pairs", "pairs", "pairs.jsonl"),
        new RunDirectory.Publication("sft", "sft", "sft.jsonl"),
        new RunDirectory.Publication("rejected-rationalization", "rejected", "rationalization.jsonl"));
  }

  /** Adds {@code j} to {@code tally} when it is a judgment of the rationalized judge (one judge has one kind). */
  static void tally(RationalizationSpec spec, Judgment j, RationalizationMetrics.Tally tally) {
    if (j.judge().equals(spec.judge())) {
      tally.add(j);
    }
  }

  /**
   * Writes the judge's per-iteration figures (accuracy against gold or pseudo-gold, mean absolute error, weighted
   * kappa, self-consistency, parse rate) to {@code rationalization/metrics.json}, and the position balance to
   * {@code rationalization/balance.json}, and returns the balance for the console. {@code tally} holds the judge's
   * scores per item, filled by {@link #tally} in the driver's one streaming pass over the published judgments
   * ({@code RunAccounting.Published.read}): never the judgments themselves.
   */
  static PositionBalance writeMetrics(
      RunDirectory dir, RationalizationSpec spec, RationalizationMetrics.Tally tally, Path recipeDir, int iteration, long seed) {
    RationalizationMetrics metrics;
    if (spec.mode().equals("gold")) {
      Map<String, Integer> gold = new java.util.HashMap<>();
      readGold(recipeDir.resolve(spec.gold())).forEach(g -> gold.put(g.itemId(), g.score()));
      metrics = tally.againstGold(gold, iteration);
    } else {
      PseudoGold rule = spec.majorityShare() == null ? PseudoGold.majority() : PseudoGold.atLeast(spec.majorityShare());
      metrics = tally.againstPseudoGold(rule, iteration);
    }
    metrics.write(dir.output("rationalization", "metrics.json"));
    return writeBalance(dir, spec, tally.pairwise(), seed);
  }

  /**
   * Writes {@code rationalization/balance.json}: the chosen verdict positions before and after the balance, counted
   * from the published pairs and {@code position_balance} rejections; "not applicable" for an absolute judge.
   */
  static PositionBalance writeBalance(RunDirectory dir, RationalizationSpec spec, boolean pairwise, long seed) {
    PositionBalance balance;
    if (pairwise) {
      PositionBalance.Tally t = new PositionBalance.Tally();
      dir.forEach("pairs", "pairs.jsonl", PreferencePair.class, t::pair);
      dir.forEach("rejected", "rationalization.jsonl", RationalizationRejection.class, t::rejection);
      balance = t.result(spec.judge(), spec.balance(), seed);
    } else {
      balance = PositionBalance.notApplicable(spec.judge(), spec.balance(), seed);
    }
    balance.write(dir);
    return balance;
  }
}
