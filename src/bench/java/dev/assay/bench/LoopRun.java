package dev.assay.bench;

import dev.assay.consistency.ConsistencyTally;
import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.pipeline.PromptCuration;
import dev.assay.pipeline.ScoreAndCuratePairs;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.judge.ScoreSample;
import dev.assay.run.RunDirectory;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reference mode of {@code assay bench cpu}: the same work as {@link PipelineRun} as a plain, single-threaded
 * Java loop with no framework: read the files, group the score samples, the previous rewards and the candidates by
 * prompt in maps, apply {@link PromptCuration#curate} (the very function the pipeline applies per prompt, and through
 * it every stage's own: judge scoring, CREAM consistency, consensus, pairs and SFT) to each prompt in id order, then
 * write every output as sorted JSONL in the same layout. No stage logic is written here, so equal output files mean
 * the comparison is fair; failures (duplicate rewards, mixed reward models) are written as the pipeline writes them.
 */
final class LoopRun {
  private LoopRun() {}

  static RunOutcome run(Path data, Path runRoot) throws IOException {
    long t0 = System.nanoTime();
    double cpu0 = RunOutcome.processCpuSeconds();
    RunDirectory dir = new RunDirectory(runRoot);
    dir.prepare();
    Set<String> judges = new HashSet<>(BenchRecipe.JUDGES);

    Map<String, Candidate> candidates = new HashMap<>();
    forEachLine(data.resolve(BenchRecipe.CANDIDATES), line -> {
      Candidate c = Json.parse(line, Candidate.class);
      candidates.put(c.id(), c);
    });
    String currentModel = BenchRecipe.CONSISTENCY.rewardModel();
    Map<String, List<CandidateReward>> previous = new HashMap<>();
    forEachLine(data.resolve(BenchRecipe.PREVIOUS_REWARDS), line -> {
      CandidateReward r = Json.parse(line, CandidateReward.class);
      if (r.rewardModel().equals(currentModel)) {
        previous.computeIfAbsent(r.promptId(), k -> new ArrayList<>()).add(r);
      }
    });
    // prompt -> judge -> samples
    Map<String, Map<String, List<ScoreSample>>> samples = new HashMap<>();
    long[] judgments = {0};
    forEachLine(data.resolve(BenchRecipe.JUDGMENTS), line -> {
      Judgment j = Json.parse(line, Judgment.class);
      judgments[0]++;
      if (!judges.contains(j.judge()) || j.kind() != JudgmentKind.ABSOLUTE) {
        return;
      }
      samples.computeIfAbsent(j.itemId(), k -> new HashMap<>()).computeIfAbsent(j.judge(), k -> new ArrayList<>()).add(ScoreSample.of(j));
    });

    PromptCuration curation = PromptCuration.of(BenchRecipe.settings());
    Outputs out = new Outputs();
    TreeSet<String> prompts = new TreeSet<>(samples.keySet());
    prompts.addAll(previous.keySet());
    ConsistencyTally tally = ConsistencyTally.empty();
    for (String promptId : prompts) {
      PromptCuration.Curated c = curation.curate(
          promptId, samples.getOrDefault(promptId, Map.of()), previous.getOrDefault(promptId, List.of()), List.of(), List.of(), candidates);
      c.published().emit(out);
      tally = c.published().addTo(tally);
    }
    out.add(ScoreAndCuratePairs.CONSISTENCY_SUMMARY, tally.summary());
    for (RunDirectory.Publication o : BenchRecipe.OUTPUTS) {
      out.write(o, dir);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return RunOutcome.of("loop", judgments[0], wall, RunOutcome.processCpuSeconds() - cpu0, dir);
  }

  /** Each output's JSON lines, sorted and written at the end as RunDirectory publishes them. */
  private static final class Outputs implements PromptCuration.Emitter {
    private final Map<String, List<String>> lines = new HashMap<>();

    @Override
    public void add(ScoreAndCuratePairs.Output<?> output, Object record) {
      lines.computeIfAbsent(output.name(), k -> new ArrayList<>()).add(Json.line(record));
    }

    void write(RunDirectory.Publication o, RunDirectory dir) throws IOException {
      List<String> l = lines.getOrDefault(o.name(), new ArrayList<>());
      Collections.sort(l);
      Path target = dir.output(o.folder(), o.file());
      Files.createDirectories(target.getParent());
      try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
        for (String line : l) {
          w.write(line);
          w.write('\n');
        }
      }
      lines.remove(o.name());
    }
  }

  private interface LineConsumer {
    void accept(String line) throws IOException;
  }

  private static void forEachLine(Path file, LineConsumer consumer) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isEmpty()) {
          consumer.accept(line);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
