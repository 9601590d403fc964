package dev.assay.pipeline;

import dev.assay.curation.filters.PromptFilterSpec;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.curation.filters.DecontaminatePrompts;
import dev.assay.curation.filters.DecontaminationConfig;
import dev.assay.curation.filters.DedupeConfig;
import dev.assay.curation.filters.DedupePrompts;
import dev.assay.curation.filters.RemovedPrompt;
import dev.assay.generation.Prompt;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Dedupe and decontamination of a run's prompts before generation: the kept prompts go on to
 * {@code GenerateResponses} and are listed in {@code prompts/kept.jsonl}; the removed ones go to
 * {@code rejected/prompts.jsonl} with the reason and the evidence (the kept twin, the shared n-gram).
 */
final class PromptFilterStage {
  static final String STAGE = "prompt_filters";

  private PromptFilterStage() {}

  static PCollection<Prompt> attach(PromptFilterSpec spec, Path recipeDir, PCollection<Prompt> prompts, RunDirectory dir) {
    List<PCollection<RemovedPrompt>> removed = new ArrayList<>();
    PCollection<Prompt> kept = prompts;
    if (spec.dedupe()) {
      PCollectionTuple d = kept.apply(DedupePrompts.with(DedupeConfig.defaults().withThreshold(spec.nearThreshold())));
      kept = d.get(DedupePrompts.KEPT);
      removed.add(d.get(DedupePrompts.REMOVED));
    }
    if (!spec.decontaminate().isEmpty()) {
      List<Path> evalFiles = spec.decontaminate().stream().map(recipeDir::resolve).toList();
      DecontaminationConfig config = DecontaminationConfig.defaults();
      int minWords = Math.min(config.minWords(), spec.ngram());
      PCollectionTuple c =
          kept.apply(DecontaminatePrompts.against(evalFiles, new DecontaminationConfig(spec.ngram(), minWords, config.fields())));
      kept = c.get(DecontaminatePrompts.KEPT);
      removed.add(c.get(DecontaminatePrompts.REMOVED));
    }
    RecipeRunner.writeJsonl(kept, dir, "kept-prompts");
    if (!removed.isEmpty()) {
      RecipeRunner.writeJsonl(PCollectionList.of(removed).apply("AllRemovedPrompts", Flatten.pCollections()), dir, "rejected-prompts");
    }
    return kept;
  }

  static List<RunDirectory.Publication> outputs() {
    return List.of(
        new RunDirectory.Publication("kept-prompts", "prompts", "kept.jsonl"),
        new RunDirectory.Publication("rejected-prompts", "rejected", "prompts.jsonl"));
  }

  /** How many prompts reach generation: the kept list when filters ran, else all of them. */
  static long kept(RunDirectory dir, Recipe recipe, long prompts) {
    if (recipe.promptFilters() == null || recipe.generation() == null) {
      return prompts;
    }
    return dir.count("prompts", "kept.jsonl");
  }

  static StageCount account(RunDirectory dir, long prompts) {
    long kept = dir.count("prompts", "kept.jsonl");
    List<RemovedPrompt> removed = dir.read("rejected", "prompts.jsonl", RemovedPrompt.class);
    Map<String, Long> reasons = new TreeMap<>();
    removed.forEach(r -> reasons.merge(r.reason(), 1L, Long::sum));
    return new StageCount(prompts, kept, removed.size(), 0, reasons);
  }
}
