package dev.assay.pipeline;

import dev.assay.curation.filters.PromptFilterSpec;
import dev.assay.curation.filters.DecontaminatePrompts;
import dev.assay.curation.filters.DecontaminationSpec;
import dev.assay.curation.filters.DedupeSpec;
import dev.assay.curation.filters.DedupePrompts;
import dev.assay.curation.filters.RemovedPrompt;
import dev.assay.generation.Prompt;
import dev.assay.run.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      PCollectionTuple d = kept.apply(DedupePrompts.with(DedupeSpec.defaults().withThreshold(spec.nearThreshold())));
      kept = d.get(DedupePrompts.KEPT);
      removed.add(d.get(DedupePrompts.REMOVED));
    }
    if (!spec.decontaminate().isEmpty()) {
      List<Path> evalFiles = spec.decontaminate().stream().map(recipeDir::resolve).toList();
      DecontaminationSpec config = DecontaminationSpec.defaults();
      int minWords = Math.min(config.minWords(), spec.ngram());
      PCollectionTuple c =
          kept.apply(DecontaminatePrompts.against(evalFiles, new DecontaminationSpec(spec.ngram(), minWords, config.fields())));
      kept = c.get(DecontaminatePrompts.KEPT);
      removed.add(c.get(DecontaminatePrompts.REMOVED));
    }
    RunPlan.writeJsonl(kept, dir, "kept-prompts");
    if (!removed.isEmpty()) {
      RunPlan.writeJsonl(PCollectionList.of(removed).apply("AllRemovedPrompts", Flatten.pCollections()), dir, "rejected-prompts");
    }
    return kept;
  }

  static List<RunDirectory.Publication> outputs() {
    return List.of(
        new RunDirectory.Publication("kept-prompts", "prompts", "kept.jsonl"),
        new RunDirectory.Publication("rejected-prompts", "rejected", "prompts.jsonl"));
  }
}
