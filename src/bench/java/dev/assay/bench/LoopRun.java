package dev.assay.bench;

import dev.assay.consensus.ConsensusDecision;
import dev.assay.consistency.ConsistencyTally;
import dev.assay.consistency.PromptConsistency;
import dev.assay.consistency.RejectedPrompt;
import dev.assay.curation.pairs.BuildPreferencePairs;
import dev.assay.curation.pairs.SftExample;
import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.pipeline.ScoreAndCuratePairs;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.Descriptive;
import dev.assay.rewards.PairPreference;
import dev.assay.run.RunDirectory;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reference mode of {@code assay bench cpu}: the same work as {@link PipelineRun} as a plain, single-threaded
 * Java loop with no framework: read the files, mean scores per candidate per voter, pair probabilities, CREAM
 * consistency, consensus, pairs and SFT, then write every output as sorted JSONL in the same layout.
 *
 * <p>It applies the same rules the transforms apply ({@link PromptConsistency#of}, {@link ConsistencyTally},
 * {@link ConsensusDecision#decide}, {@link BuildPreferencePairs.PromptPairs} for the pair checks and the SFT pick) and
 * re-implements only the per-candidate arithmetic over its own arrays, so equal output files mean the comparison is
 * fair. It does
 * not model the transforms' failure outputs (duplicate rewards, mixed reward models, duplicate judgments): the
 * synthetic data has none, and it throws {@link IllegalStateException} if it meets one rather than diverge.
 */
final class LoopRun {
  private LoopRun() {}

  /** One candidate's judgments by one judge: status and score by sample index. */
  private static final class Scores {
    int[] status = new int[2];
    int[] score = new int[2];
    int n;

    void put(int sample, JudgmentStatus st, Integer sc) {
      if (sample >= status.length) {
        status = Arrays.copyOf(status, Math.max(sample + 1, status.length * 2));
        score = Arrays.copyOf(score, status.length);
      }
      if (sample < n && status[sample] != 0) {
        throw new IllegalStateException("duplicate judgment for sample " + sample + ": not modelled by the loop");
      }
      status[sample] = st.ordinal() + 1; // 0 = absent
      score[sample] = sc == null ? 0 : sc;
      n = Math.max(n, sample + 1);
    }
  }

  static RunOutcome run(Path data, Path runRoot) throws IOException {
    long t0 = System.nanoTime();
    double cpu0 = RunOutcome.processCpuSeconds();
    RunDirectory dir = new RunDirectory(runRoot);
    dir.prepare();
    List<String> judges = BenchRecipe.JUDGES;
    int voters = judges.size();

    Map<String, Candidate> candidates = new HashMap<>();
    forEachLine(data.resolve(BenchRecipe.CANDIDATES), line -> {
      Candidate c = Json.parse(line, Candidate.class);
      candidates.put(c.id(), c);
    });
    String currentModel = BenchRecipe.CONSISTENCY.rewardModel();
    Map<String, Map<String, Double>> previous = new HashMap<>();
    forEachLine(data.resolve(BenchRecipe.PREVIOUS_REWARDS), line -> {
      CandidateReward r = Json.parse(line, CandidateReward.class);
      if (r.rewardModel().equals(currentModel)) {
        Double before = previous.computeIfAbsent(r.promptId(), k -> new HashMap<>()).put(r.candidateId(), r.defined() ? r.reward() : Double.NaN);
        if (before != null) {
          throw new IllegalStateException("duplicate previous reward: not modelled by the loop");
        }
      }
    });
    // prompt -> voter -> candidate (sorted) -> scores
    Map<String, List<TreeMap<String, Scores>>> byPrompt = new HashMap<>();
    long[] judgments = {0};
    forEachLine(data.resolve(BenchRecipe.JUDGMENTS), line -> {
      Judgment j = Json.parse(line, Judgment.class);
      judgments[0]++;
      int v = judges.indexOf(j.judge());
      if (v < 0 || j.kind() != JudgmentKind.ABSOLUTE) {
        return;
      }
      List<TreeMap<String, Scores>> perVoter = byPrompt.computeIfAbsent(j.itemId(), k -> {
        List<TreeMap<String, Scores>> l = new ArrayList<>(voters);
        for (int i = 0; i < voters; i++) {
          l.add(new TreeMap<>());
        }
        return l;
      });
      perVoter.get(v).computeIfAbsent(j.candidateA(), k -> new Scores()).put(j.sample(), j.status(), j.score());
    });

    Outputs out = new Outputs();
    TreeSet<String> prompts = new TreeSet<>(byPrompt.keySet());
    prompts.addAll(previous.keySet());
    ConsistencyTally tally = ConsistencyTally.empty();
    Map<String, PromptConsistency> consistent = new HashMap<>();
    // The pair checks and the SFT pick are BuildPreferencePairs' own rules (the same work; counters have no
    // pipeline here and count nothing).
    BuildPreferencePairs.PromptPairs pairs =
        new BuildPreferencePairs.PromptPairs(BenchRecipe.PAIRS, BenchRecipe.CONSISTENCY.filters(), BenchRecipe.RUN_ID, BenchRecipe.ITERATION);
    pairs.setup();
    List<String> voterNames = new ArrayList<>();
    for (String judge : judges) {
      voterNames.add(BenchRecipe.voter(judge));
    }
    Collections.sort(voterNames);
    for (String promptId : prompts) {
      List<TreeMap<String, Scores>> perVoter = byPrompt.get(promptId);
      List<CandidateReward> primary = new ArrayList<>();
      List<PairPreference> prefs = new ArrayList<>();
      for (int v = 0; v < voters && perVoter != null; v++) {
        String voter = BenchRecipe.voter(judges.get(v));
        List<String> ids = new ArrayList<>();
        List<double[]> okScores = new ArrayList<>();
        for (Map.Entry<String, Scores> e : perVoter.get(v).entrySet()) {
          Scores s = e.getValue();
          int requested = 0;
          double[] ok = new double[s.n];
          int k = 0;
          for (int i = 0; i < s.n; i++) {
            if (s.status[i] != 0) {
              requested++;
              if (s.status[i] == JudgmentStatus.OK.ordinal() + 1) {
                ok[k++] = s.score[i];
              }
            }
          }
          ok = Arrays.copyOf(ok, k);
          CandidateReward r = new CandidateReward(voter, promptId, e.getKey(), Descriptive.mean(ok), requested, k, k == 0 ? 0 : Descriptive.sampleStd(ok));
          out.add(ScoreAndCuratePairs.REWARDS, r);
          if (voter.equals(BenchRecipe.PRIMARY)) {
            primary.add(r);
          }
          ids.add(e.getKey());
          okScores.add(ok);
        }
        for (int a = 0; a < ids.size(); a++) {
          for (int b = a + 1; b < ids.size(); b++) {
            double[] x = okScores.get(a);
            double[] y = okScores.get(b);
            if (x.length == 0 || y.length == 0) {
              continue;
            }
            PairPreference p = new PairPreference(voter, promptId, ids.get(a), ids.get(b), superiority(x, y), (long) x.length * y.length, 0);
            out.add(ScoreAndCuratePairs.PREFERENCES, p);
            prefs.add(p);
          }
        }
      }

      // CREAM consistency of the primary against the previous iteration
      Map<String, Double> cur = new HashMap<>();
      for (CandidateReward r : primary) {
        cur.put(r.candidateId(), r.defined() ? r.reward() : Double.NaN);
      }
      PromptConsistency pc = PromptConsistency.of(promptId, cur, previous.getOrDefault(promptId, Map.of()));
      String reason = consistencyRejection(pc);
      if (reason == null) {
        out.add(ScoreAndCuratePairs.CONSISTENCY, pc);
        consistent.put(promptId, pc);
      } else {
        out.add(ScoreAndCuratePairs.REJECTED_CONSISTENCY, new RejectedPrompt(promptId, reason, pc.consistency(), BenchRecipe.CONSISTENCY.threshold(), pc));
      }
      tally = tally.plus(pc, reason);

      // consensus (prompts only known from the previous iteration have no rewards or preferences this iteration)
      if (perVoter == null) {
        continue;
      }
      ConsensusDecision d = ConsensusDecision.decide(promptId, primary, prefs, voterNames, BenchRecipe.CONSENSUS);
      if (d.kept() == null) {
        out.add(ScoreAndCuratePairs.REJECTED_CONSENSUS, d.rejected());
      } else {
        out.add(ScoreAndCuratePairs.CONSENSUS, d.kept());
        BuildPreferencePairs.Built built = pairs.pair(d.kept(), candidates, consistent.get(promptId));
        if (built.pair() != null) {
          out.add(ScoreAndCuratePairs.PAIRS, built.pair());
        } else {
          out.add(ScoreAndCuratePairs.REJECTED_PAIRS, built.rejected());
        }
      }
      SftExample sft = pairs.sft(primary, candidates);
      if (sft != null) {
        out.add(ScoreAndCuratePairs.SFT, sft);
      }
    }
    out.add(ScoreAndCuratePairs.CONSISTENCY_SUMMARY, tally.summary());
    for (RunDirectory.Publication o : BenchRecipe.OUTPUTS) {
      out.write(o, dir);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return RunOutcome.of("loop", judgments[0], wall, RunOutcome.processCpuSeconds() - cpu0, dir);
  }

  private static String consistencyRejection(PromptConsistency p) {
    if (!BenchRecipe.CONSISTENCY.filters()) {
      return null;
    }
    if (!p.defined()) {
      return BenchRecipe.CONSISTENCY.keepUndefined() ? null : p.undefinedReason();
    }
    return p.consistency() < BenchRecipe.CONSISTENCY.threshold() ? RejectedPrompt.BELOW_THRESHOLD : null;
  }

  /** Each output's JSON lines, sorted and written at the end as RunDirectory publishes them. */
  private static final class Outputs {
    private final Map<String, List<String>> lines = new HashMap<>();
    private final Map<String, Double> consistency = new HashMap<>();

    void add(String name, Object record) {
      if (record instanceof PromptConsistency pc) {
        consistency.put(pc.promptId(), pc.consistency());
      }
      lines.computeIfAbsent(name, k -> new ArrayList<>()).add(Json.line(record));
    }

    Double consistencyOf(String promptId) {
      return consistency.get(promptId);
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

  private static double superiority(double[] x, double[] y) {
    double wins = 0;
    for (double a : x) {
      for (double b : y) {
        wins += a > b ? 1 : (a == b ? 0.5 : 0);
      }
    }
    return wins / ((double) x.length * y.length);
  }
}
