package dev.assay.bench;

import dev.assay.consensus.ConsensusDecision;
import dev.assay.consensus.ConsensusPair;
import dev.assay.consensus.Vote;
import dev.assay.consistency.ConsistencyTally;
import dev.assay.consistency.PromptConsistency;
import dev.assay.consistency.RejectedPrompt;
import dev.assay.curation.BuildPreferencePairs;
import dev.assay.curation.PreferencePair;
import dev.assay.curation.RejectedPreference;
import dev.assay.curation.RewardHackingGuard;
import dev.assay.curation.SftExample;
import dev.assay.generation.Candidate;
import dev.assay.io.Json;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reference mode of {@code assay bench cpu}: the same work as {@link PipelineTailRun} as a plain, single-threaded
 * Java loop with no framework: read the files, mean scores per candidate per voter, pair probabilities, CREAM
 * consistency, consensus, pairs and SFT, then write every output as sorted JSONL in the same layout.
 *
 * <p>It applies the same pure rules the transforms apply ({@link PromptConsistency#of}, {@link ConsistencyTally},
 * {@link ConsensusDecision#decide}, {@link RewardHackingGuard}, {@link BuildPreferencePairs#pairId}) and re-implements
 * only the per-candidate arithmetic and the pair checks, so equal output files mean the comparison is fair. It does
 * not model the transforms' failure outputs (duplicate rewards, mixed reward models, duplicate judgments): the
 * synthetic data has none, and it throws {@link IllegalStateException} if it meets one rather than diverge.
 */
final class LoopTailRun {
  private LoopTailRun() {}

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

  static TailOutcome run(Path data, Path runRoot) throws IOException {
    long t0 = System.nanoTime();
    double cpu0 = TailOutcome.processCpuSeconds();
    RunDirectory dir = new RunDirectory(runRoot);
    dir.prepare();
    List<String> judges = BenchTail.JUDGES;
    int voters = judges.size();

    Map<String, Candidate> candidates = new HashMap<>();
    forEachLine(data.resolve(BenchTail.CANDIDATES), line -> {
      Candidate c = Json.parse(line, Candidate.class);
      candidates.put(c.id(), c);
    });
    String currentModel = BenchTail.CONSISTENCY.rewardModel();
    Map<String, Map<String, Double>> previous = new HashMap<>();
    forEachLine(data.resolve(BenchTail.PREVIOUS_REWARDS), line -> {
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
    forEachLine(data.resolve(BenchTail.JUDGMENTS), line -> {
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
    Set<String> consistent = new HashSet<>();
    List<String> voterNames = new ArrayList<>();
    for (String judge : judges) {
      voterNames.add(BenchTail.voter(judge));
    }
    Collections.sort(voterNames);
    for (String promptId : prompts) {
      List<TreeMap<String, Scores>> perVoter = byPrompt.get(promptId);
      List<CandidateReward> primary = new ArrayList<>();
      List<PairPreference> prefs = new ArrayList<>();
      for (int v = 0; v < voters && perVoter != null; v++) {
        String voter = BenchTail.voter(judges.get(v));
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
          out.add("rewards", r);
          if (voter.equals(BenchTail.PRIMARY)) {
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
            out.add("preferences", p);
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
        out.add("consistency", pc);
        consistent.add(promptId);
      } else {
        out.add("rejected-consistency", new RejectedPrompt(promptId, reason, pc.consistency(), BenchTail.CONSISTENCY.threshold(), pc));
      }
      tally = tally.plus(pc, reason);

      // consensus (prompts only known from the previous iteration have no rewards or preferences this iteration)
      if (perVoter == null) {
        continue;
      }
      ConsensusDecision d = ConsensusDecision.decide(promptId, primary, prefs, voterNames, BenchTail.CONSENSUS);
      if (d.kept() == null) {
        out.add("rejected-consensus", d.rejected());
      } else {
        out.add("consensus", d.kept());
        pair(d.kept(), candidates, consistent.contains(promptId), out);
      }
      sft(primary, candidates, out);
    }
    out.add("consistency-summary", tally.summary());
    for (BenchTail.Output o : BenchTail.OUTPUTS) {
      out.write(o, dir);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    return TailOutcome.of("loop", judgments[0], wall, TailOutcome.processCpuSeconds() - cpu0, dir);
  }

  private static String consistencyRejection(PromptConsistency p) {
    if (!BenchTail.CONSISTENCY.filters()) {
      return null;
    }
    if (!p.defined()) {
      return BenchTail.CONSISTENCY.keepUndefined() ? null : p.undefinedReason();
    }
    return p.consistency() < BenchTail.CONSISTENCY.threshold() ? RejectedPrompt.BELOW_THRESHOLD : null;
  }

  /** The pair checks of BuildPreferencePairs, in its order: candidates exist, consistency, guard, length. */
  private static void pair(ConsensusPair p, Map<String, Candidate> candidates, boolean consistent, Outputs out) {
    Candidate chosen = candidates.get(p.chosen());
    Candidate rejected = candidates.get(p.rejected());
    String reason = null;
    String detail = null;
    if (chosen == null || rejected == null) {
      reason = "missing_candidate";
      detail = "no candidate record for " + (chosen == null ? p.chosen() : p.rejected());
    } else if (BenchTail.CONSISTENCY.filters() && !consistent) {
      reason = "low_consistency";
      detail = "the prompt failed the consistency filter";
    } else if (BenchTail.PAIRS.guard() && !RewardHackingGuard.check(chosen.response()).isEmpty()) {
      RewardHackingGuard.Flag f = RewardHackingGuard.check(chosen.response()).get(0);
      reason = "reward_hacking";
      detail = f.reason() + ": " + f.match();
    } else if (BenchTail.PAIRS.maxLengthRatio() != null) {
      double ratio = (double) words(chosen.response()) / Math.max(1, words(rejected.response()));
      if (ratio > BenchTail.PAIRS.maxLengthRatio()) {
        reason = "length";
        detail = String.format(Locale.ROOT, "chosen has %.2fx the words of rejected (max %.2f)", ratio, BenchTail.PAIRS.maxLengthRatio());
      }
    }
    if (reason != null) {
      out.add("rejected-pairs", new RejectedPreference(p.promptId(), p.chosen(), p.rejected(), reason, detail));
      return;
    }
    Map<String, Double> agreement = new TreeMap<>();
    for (Vote v : p.votes()) {
      if (v.agrees()) {
        agreement.put(v.rewardModel(), v.probabilityChosen());
      }
    }
    // Consistency is attached from the kept prompts; in filter mode only kept prompts get here.
    out.add("pairs", new PreferencePair(BuildPreferencePairs.pairId(p.promptId(), chosen.id(), rejected.id()), "policy", p.promptId(),
        chosen.prompt(), null, chosen.response(), rejected.response(), chosen.id(), rejected.id(), p.chosenReward(),
        p.rejectedReward(), p.margin(), out.consistencyOf(p.promptId()), p.agreed(), agreement, BenchTail.ITERATION, BenchTail.RUN_ID));
  }

  private static void sft(List<CandidateReward> primary, Map<String, Candidate> candidates, Outputs out) {
    Double threshold = BenchTail.PAIRS.sftThreshold();
    if (threshold == null) {
      return;
    }
    CandidateReward best = null;
    for (CandidateReward cr : primary) {
      if (cr.defined() && (best == null || cr.reward() > best.reward()
          || (cr.reward() == best.reward() && cr.candidateId().compareTo(best.candidateId()) < 0))) {
        best = cr;
      }
    }
    if (best == null) {
      return;
    }
    Candidate c = candidates.get(best.candidateId());
    if (c == null || best.reward() < threshold || (BenchTail.PAIRS.guard() && RewardHackingGuard.flagged(c.response()))) {
      return;
    }
    out.add("sft", new SftExample(c.id(), "policy", c.promptId(), c.prompt(), null, c.response(), best.reward(), BenchTail.ITERATION, BenchTail.RUN_ID));
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

    void write(BenchTail.Output o, RunDirectory dir) throws IOException {
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

  private static int words(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
