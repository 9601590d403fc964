package dev.assay.pipeline.recipe;

import dev.assay.curation.filters.PromptFilterSpec;
import dev.assay.curation.rationalization.RationalizationSpec;
import dev.assay.generation.GenerationSpec;
import dev.assay.judging.JudgeSpec;
import dev.assay.llm.EndpointConfig;
import dev.assay.qualification.QualificationSection;
import dev.assay.config.RecordBinder;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.RewardModelTypes;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline recipe after includes, {@code --config} files, {@code ${ENV}} interpolation and {@code --set}
 * overrides were applied. Field names are the YAML keys in snake_case ({@code max_tokens}).
 *
 * @param name recipe name, recorded in the manifest
 * @param description free text
 * @param seed the run's master seed (sampling seeds derive from it); default 42
 * @param include other YAML files merged under this one, paths relative to the including file
 * @param endpoints named model endpoints
 * @param input where the prompts (or existing judgments) come from
 * @param generation how many responses to generate per prompt, and with which endpoint; null to skip generation
 *     (candidates or judgments are then imported)
 * @param judges the configured judges; each is one voter
 * @param iteration the training iteration t this run produces data for (default 0)
 * @param rationalization self-rationalization pairs from one judge's judgments, or null
 * @param rewardModels the internal reward models (voters) over the judgments and candidates
 * @param consistency CREAM consistency against the previous iteration, or null
 * @param consensus the consensus filter across reward models, or null (no self-rewarding pairs)
 * @param promptFilters dedupe and decontamination of the prompts before generation, or null
 * @param pairs self-rewarding pair building (guard, length control, SFT threshold), or null for defaults
 * @param gates thresholds checked after the run (exit 1 when one is missed), or null for none
 * @param qualification a judge qualified on a labelled set before the main stages, or null for none
 * @param outputTerms the terms that govern the model outputs in the data (e.g. the serving model's licence), or null
 *     when not stated; only the dataset card reads it
 * @param ledger a ledger folder shared by runs (relative to the recipe's folder; {@code --ledger DIR} sets it to an
 *     absolute path): requests any run recorded there are answered from it, in any run directory; null for the run
 *     directory's own {@code ledger/}
 * @param anchor a fixed set of responses every iteration's judge judges again (drift, self-preference), or null
 * @param allowSimulated whether a run may mix endpoints served by Assay's simulator with real ones (default false:
 *     preflight refuses the mix; when true, the manifest and the dataset card name the simulated endpoints)
 * @param ranking in an iteration after the first, this policy against the previous one on the same prompts, or null
 */
public record Recipe(
    String name,
    String description,
    Long seed,
    List<String> include,
    Map<String, EndpointConfig> endpoints,
    InputSpec input,
    GenerationSpec generation,
    List<JudgeSpec> judges,
    Integer iteration,
    RationalizationSpec rationalization,
    List<RewardModelSpec> rewardModels,
    dev.assay.consistency.ConsistencySpec consistency,
    dev.assay.consensus.ConsensusSpec consensus,
    dev.assay.curation.pairs.PairSpec pairs,
    PromptFilterSpec promptFilters,
    GatesSpec gates,
    QualificationSection qualification,
    String outputTerms,
    Boolean allowSimulated,
    String ledger,
    dev.assay.consistency.AnchorSpec anchor,
    dev.assay.ranking.RankingSpec ranking) {
  public Recipe {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    seed = seed == null ? 42L : seed;
    include = include == null ? List.of() : List.copyOf(include);
    endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
    Objects.requireNonNull(input, "input");
    judges = judges == null ? List.of() : List.copyOf(judges);
    iteration = iteration == null ? 0 : iteration;
    rewardModels = rewardModels == null ? List.of() : List.copyOf(rewardModels);
    allowSimulated = allowSimulated != null && allowSimulated;
    ledger = ledger == null || ledger.isBlank() ? null : ledger;
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0: " + iteration);
    }
  }

  /** How the binder builds the interface-typed entries: a reward model's {@code type:} picks its record. */
  public static List<RecordBinder.Variants> variants() {
    return List.of(new RecordBinder.Variants(RewardModelSpec.class, "type", RewardModelTypes.specRecords()));
  }
}
