package dev.assay.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.consistency.PromptConsistency;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.run.RunDirectory;
import dev.assay.run.RunManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Everything the report reads from one run directory, loaded once; judgments without their text (the report shows
 * scores and statuses, and the judges' words are most of a run's size). Every stage output is optional (an empty list
 * when the run did not produce it), because a run that stopped early or a recipe without a stage still deserves a
 * report; only the manifest is required.
 */
record RunData(
    Path root,
    RunManifest manifest,
    List<Candidate> candidates,
    List<Judgment> judgments,
    List<CandidateReward> rewards,
    List<PairPreference> preferences,
    List<PromptConsistency> consistency,
    List<PreferencePair> pairs) {

  /**
   * Loads {@code dir}; {@link IllegalArgumentException} when it is not a run directory (no {@code manifest.json}) or
   * the manifest does not parse, {@link UncheckedIOException} when a file cannot be read.
   */
  static RunData load(Path dir) {
    RunDirectory run = new RunDirectory(dir);
    if (!Files.isDirectory(run.root())) {
      throw new IllegalArgumentException("not a directory: " + dir);
    }
    if (!Files.isRegularFile(run.manifest())) {
      throw new IllegalArgumentException("not a run directory (no " + RunDirectory.MANIFEST + "): " + dir);
    }
    RunManifest manifest;
    try {
      manifest = Json.mapper().readValue(run.manifest().toFile(), RunManifest.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + run.manifest() + ": " + firstLine(e.getMessage()), e);
    }
    return new RunData(
        run.root(),
        manifest,
        read(run, "candidates", "candidates.jsonl", Candidate.class),
        read(run, "judgments", "judgments.jsonl", Judgment.class, Judgment::withoutText),
        read(run, "rewards", "rewards.jsonl", CandidateReward.class),
        read(run, "rewards", "preferences.jsonl", PairPreference.class),
        read(run, "consistency", "consistency.jsonl", PromptConsistency.class),
        read(run, "pairs", "pairs.jsonl", PreferencePair.class));
  }

  // RunDirectory.read treats a bad line as Assay's own bug; for a report on a folder someone handed us it is bad
  // input, so the file's name goes into the message the command prints.
  private static <T> List<T> read(RunDirectory run, String folder, String file, Class<T> type) {
    return read(run, folder, file, type, UnaryOperator.identity());
  }

  /** Reads records through {@code keep}, which may drop what the report never shows (judgments' text). */
  private static <T> List<T> read(RunDirectory run, String folder, String file, Class<T> type, UnaryOperator<T> keep) {
    try {
      List<T> out = new ArrayList<>();
      run.forEach(folder, file, type, r -> out.add(keep.apply(r)));
      return out;
    } catch (UncheckedIOException | IllegalArgumentException e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      throw new IllegalArgumentException("cannot read " + run.output(folder, file) + ": " + firstLine(why), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The merged configuration, or a missing node. */
  JsonNode config() {
    return manifest.config() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
        : manifest.config();
  }

  /**
   * The judge behind the primary reward model (consensus {@code primary} naming a {@code judge} reward model), else
   * the first absolute judge in the judgments, else null.
   */
  String primaryJudge() {
    String primary = config().path("consensus").path("primary").asText("");
    for (JsonNode rm : config().path("reward_models")) {
      if (rm.path("name").asText().equals(primary) && rm.has("judge")) {
        return rm.path("judge").asText();
      }
    }
    return judgments.stream()
        .filter(j -> j.kind() == dev.assay.judging.JudgmentKind.ABSOLUTE)
        .map(Judgment::judge)
        .sorted()
        .findFirst()
        .orElse(null);
  }
}
