package dev.assay.pipeline;

import dev.assay.consensus.FilterByConsensus;
import dev.assay.consensus.RejectedPair;
import dev.assay.consistency.ConsistencySummary;
import dev.assay.consistency.MeasureConsistency;
import dev.assay.curation.filters.RemovedPrompt;
import dev.assay.curation.pairs.BuildPreferencePairs;
import dev.assay.curation.pairs.PreferencePair;
import dev.assay.curation.pairs.RejectedPreference;
import dev.assay.curation.rationalization.BuildRationalizationPairs;
import dev.assay.curation.rationalization.RationalizationMetrics;
import dev.assay.curation.rationalization.RationalizationRejection;
import dev.assay.generation.Candidate;
import dev.assay.generation.GenerateResponses;
import dev.assay.io.Failure;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.SampleJudgments;
import dev.assay.llm.BudgetExceededException;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelSpec;
import dev.assay.rewards.VoterMetrics;
import dev.assay.run.RunDirectory;
import dev.assay.run.StageCount;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The one accounting of a run: every stage's {@code in = out + rejected + failed}, with reasons, in one place and
 * from one kind of source, what the stage committed (its published files), read after the run's pipelines finished.
 *
 * <p>Why published files and not Beam counters: a counter counts attempts, and a distributed runner that retries a
 * bundle counts its records twice, while a published file holds each record once (a retried bundle's output is
 * discarded with the attempt). The endpoints' usage (requests, tokens, cost) is a different figure, what was paid
 * for, and stays with the counters ({@link RunLifecycle}).
 *
 * <p>A stage's {@code in} comes from what the stage upstream committed or from the checked input, never from the
 * stage itself, so a stage that was given input and produced nothing still has a line, its input counted as rejected
 * or failed with reasons: a reward model that could score no candidate shows {@code in N = out 0 + rejected N}
 * ({@value #NOT_SCORED}) instead of vanishing.
 *
 * <p>Failure modes: none of its own; a file that cannot be read fails as {@link RunDirectory} says, and a stage whose
 * counts do not balance is reported by {@link #requireBalanced} ({@link dev.assay.run.AccountingException}).
 */
final class RunAccounting {
  /** The error class of a call refused by the budget cap (a failure record, no judgment). */
  static final String BUDGET = BudgetExceededException.class.getSimpleName();
  /** Reason of a reward model's candidate whose reward is undefined: the inputs it read were unusable. */
  static final String NO_USABLE_INPUT = "no_usable_input";
  /** Reason of a candidate a reward model was given and returned neither a reward nor a failure for. */
  static final String NOT_SCORED = "not_scored";

  private RunAccounting() {}

  /**
   * What the run needs to know to count: the recipe and the judges that judged candidates.
   *
   * @param recipe the run's recipe
   * @param voters the judges that judged candidates (every configured judge but a meta-judge)
   * @param metaJudge the meta-judge of {@code tie_break: meta-judge}, or null
   * @param metaCandidates the judgments the meta-judge was asked to grade ({@link MetaJudgeStage#requests}), 0 without
   *     one
   * @param inputs the checked inputs (prompts and imported judgments: what the first stages were given)
   */
  record Scope(Recipe recipe, List<JudgeDefinition> voters, JudgeDefinition metaJudge, long metaCandidates, RunInputs inputs) {
    Scope {
      voters = List.copyOf(voters);
    }
  }

  /**
   * Every stage's counts, in the order the stages run (the console prints them so): prompt filters, generation or
   * the imported candidates, imported judgments, each judge, the meta-judge, rationalization, each reward model,
   * consistency, consensus, pairs.
   *
   * @param published the main pass's published files, tallied once ({@link Published#read})
   * @param rationalized the rationalized judge's scores, tallied in the same pass
   */
  static Map<String, StageCount> stages(Scope scope, RunDirectory dir, Published published, RationalizationMetrics.Tally rationalized) {
    Recipe recipe = scope.recipe();
    Map<String, StageCount> stages = new LinkedHashMap<>();
    long prompts = scope.inputs().prompts().count();
    boolean filtered = recipe.promptFilters() != null && recipe.generation() != null;
    long keptPrompts = prompts;
    if (filtered) {
      StageCount filters = promptFilters(dir, prompts);
      stages.put(PromptFilterStage.STAGE, filters);
      keptPrompts = filters.out();
    }
    if (recipe.generation() != null) {
      long in = keptPrompts * recipe.generation().k();
      stages.put(
          GenerateResponses.STAGE,
          new StageCount(in, published.candidates(), 0, published.failedIn(GenerateResponses.STAGE), published.failuresOf(GenerateResponses.STAGE)));
    } else {
      stages.put("import.candidates", new StageCount(published.candidates(), published.candidates(), 0, 0, Map.of()));
    }
    long importedIn = scope.inputs().judgments().count();
    if (importedIn > 0) {
      long imported = published.importedJudgments();
      stages.put("import.judgments", new StageCount(importedIn, imported, 0, importedIn - imported, Map.of()));
    }
    for (JudgeDefinition judge : scope.voters()) {
      long items =
          judge.kind() == JudgmentKind.ABSOLUTE
              ? published.candidates()
              : published.candidatesPerPrompt().values().stream().mapToLong(k -> (long) k * (k - 1)).sum();
      Map<JudgmentStatus, Long> statuses = published.llmJudgments().getOrDefault(judge.name(), Map.of());
      Map<String, Long> failures = published.failuresOf(SampleJudgments.stage(judge.name()));
      stages.put(SampleJudgments.stage(judge.name()), judge(JudgeSampling.in(judge, items, statuses, failures.getOrDefault(BUDGET, 0L)), statuses, failures));
    }
    if (scope.metaJudge() != null) {
      JudgeDefinition meta = scope.metaJudge();
      stages.put(
          SampleJudgments.stage(meta.name()),
          judgePass(dir, "judgments", "meta.jsonl", "meta.jsonl", meta.name(), scope.metaCandidates() * meta.n()));
    }
    if (recipe.rationalization() != null) {
      stages.put(BuildRationalizationPairs.STAGE, rationalization(dir, rationalized));
    }
    for (RewardModelSpec rm : recipe.rewardModels()) {
      String stage = VoterMetrics.stage(rm.name());
      stages.put(stage, rewardModel(published.candidates(), published.rewardsOf(rm.name()), published.failuresOf(stage)));
    }
    if (!recipe.rewardModels().isEmpty()) {
      curation(recipe, dir, published, stages);
    }
    return stages;
  }

  /** Prompts in = kept + removed; reasons from the removal records. */
  static StageCount promptFilters(RunDirectory dir, long prompts) {
    long kept = dir.count("prompts", "kept.jsonl");
    Map<String, Long> reasons = new TreeMap<>();
    dir.forEach("rejected", "prompts.jsonl", RemovedPrompt.class, r -> reasons.merge(r.reason(), 1L, Long::sum));
    return new StageCount(prompts, kept, sum(reasons), 0, reasons);
  }

  /**
   * A judge pass that runs after the main pipeline (the meta-judge, the ranking step), counted from what it published:
   * its judgments in {@code folder/judgmentsFile} and its failures in {@code failures/failuresFile}, as {@link #judge}.
   */
  static StageCount judgePass(RunDirectory dir, String folder, String judgmentsFile, String failuresFile, String judgeName, long in) {
    Map<JudgmentStatus, Long> statuses = new EnumMap<>(JudgmentStatus.class);
    dir.forEach(folder, judgmentsFile, Judgment.class, j -> statuses.merge(j.status(), 1L, Long::sum));
    Map<String, Long> failures = new TreeMap<>();
    dir.forEach("failures", failuresFile, Failure.class, f -> {
      if (f.stage().equals(SampleJudgments.stage(judgeName))) {
        failures.merge(f.errorClass(), 1L, Long::sum);
      }
    });
    return judge(in, statuses, failures);
  }

  /**
   * A judge stage: {@code in} samples requested; ok judgments are out, refused, truncated and unparseable ones
   * rejected, failed ones failed; calls the budget cap refused have a failure record but no judgment
   * ({@link SampleJudgments}) and count as failed.
   */
  static StageCount judge(long in, Map<JudgmentStatus, Long> statuses, Map<String, Long> failures) {
    long ok = 0;
    long rejected = 0;
    long failed = 0;
    Map<String, Long> reasons = new TreeMap<>();
    for (var e : statuses.entrySet()) {
      if (e.getKey() == JudgmentStatus.OK) {
        ok += e.getValue();
      } else if (e.getKey() == JudgmentStatus.FAILED) {
        failed += e.getValue();
        reasons.merge("failed", e.getValue(), Long::sum);
      } else {
        rejected += e.getValue();
        reasons.merge(e.getKey().wire(), e.getValue(), Long::sum);
      }
    }
    long refused = failures.getOrDefault(BUDGET, 0L);
    if (refused > 0) {
      failed += refused;
      reasons.merge(BUDGET, refused, Long::sum);
    }
    return new StageCount(in, ok, rejected, failed, reasons);
  }

  /**
   * A reward model (voter): {@code in} the candidates it was given (every candidate of the run; for a run of imported
   * judgments without candidates, what it produced). Defined rewards are out, undefined ones rejected ({@value
   * #NO_USABLE_INPUT}), failure records failed by error class, and a candidate with neither is rejected ({@value
   * #NOT_SCORED}). More rewards than candidates do not balance: records were invented.
   */
  static StageCount rewardModel(long candidates, RewardTally rewards, Map<String, Long> failures) {
    long failed = sum(failures);
    long produced = rewards.defined() + rewards.undefined() + failed;
    long in = candidates > 0 ? candidates : produced;
    Map<String, Long> reasons = new TreeMap<>(failures);
    long rejected = rewards.undefined();
    if (rewards.undefined() > 0) {
      reasons.put(NO_USABLE_INPUT, rewards.undefined());
    }
    long notScored = in - produced;
    if (notScored > 0) {
      rejected += notScored;
      reasons.put(NOT_SCORED, notScored);
    }
    return new StageCount(in, rewards.defined(), rejected, failed, reasons);
  }

  /**
   * Consistency from its published summary; consensus: every prompt the primary voter rewarded yields a kept or a
   * rejected pair, or a failure; pairs: every kept consensus pair becomes a pair or a rejection.
   */
  private static void curation(Recipe recipe, RunDirectory dir, Published published, Map<String, StageCount> stages) {
    List<ConsistencySummary> summary = dir.read("consistency", "summary.json", ConsistencySummary.class);
    if (!summary.isEmpty()) {
      stages.put(MeasureConsistency.STAGE, summary.get(0).stageCount());
    }
    if (recipe.consensus() == null) {
      return;
    }
    long kept = dir.count("pairs", "consensus.jsonl");
    Map<String, Long> reasons = new TreeMap<>();
    dir.forEach("rejected", "consensus.jsonl", RejectedPair.class, r -> reasons.merge(r.reason(), 1L, Long::sum));
    stages.put(
        FilterByConsensus.STAGE,
        new StageCount(published.consensusPrompts(), kept, sum(reasons), published.failedIn(FilterByConsensus.STAGE), reasons));
    long pairs = dir.count("pairs", "pairs.jsonl");
    Map<String, Long> pairReasons = new TreeMap<>();
    dir.forEach("rejected", "pairs.jsonl", RejectedPreference.class, r -> pairReasons.merge(r.reason(), 1L, Long::sum));
    stages.put(BuildPreferencePairs.STAGE, new StageCount(kept, pairs, sum(pairReasons), 0, pairReasons));
  }

  /** Items in (distinct candidates the rationalized judge judged) = judge pairs + rejected, with their reasons. */
  private static StageCount rationalization(RunDirectory dir, RationalizationMetrics.Tally tally) {
    long[] pairs = {0};
    dir.forEach("pairs", "pairs.jsonl", PreferencePair.class, p -> {
      if (p.kind().equals("judge")) {
        pairs[0]++;
      }
    });
    List<RationalizationRejection> rejected = dir.read("rejected", "rationalization.jsonl", RationalizationRejection.class);
    StageCount fromOutputs = BuildRationalizationPairs.account(pairs[0], rejected);
    return new StageCount(tally.items(), fromOutputs.out(), fromOutputs.rejected(), fromOutputs.failed(), fromOutputs.reasons());
  }

  /** The reward models that were given input and produced no reward at all. */
  static List<String> silentVoters(Recipe recipe, Map<String, StageCount> stages) {
    List<String> out = new ArrayList<>();
    for (RewardModelSpec rm : recipe.rewardModels()) {
      StageCount s = stages.get(VoterMetrics.stage(rm.name()));
      if (s != null && s.in() > 0 && s.out() == 0) {
        out.add(rm.name());
      }
    }
    return out;
  }

  /** @throws dev.assay.run.AccountingException naming the first stage whose counts do not add up */
  static void requireBalanced(Map<String, StageCount> stages) {
    for (var s : stages.entrySet()) {
      if (!s.getValue().balanced()) {
        throw new dev.assay.run.AccountingException("stage " + s.getKey() + " does not balance: " + s.getValue().line(s.getKey()));
      }
    }
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** One reward model's published rewards: defined (a score) and undefined (no usable input). */
  record RewardTally(long defined, long undefined) {
    static final RewardTally NONE = new RewardTally(0, 0);

    RewardTally plus(CandidateReward r) {
      return r.defined() ? new RewardTally(defined + 1, undefined) : new RewardTally(defined, undefined + 1);
    }
  }

  /**
   * What the main pass published, tallied in one streaming pass per file: memory grows with the number of prompts,
   * judges and voters, not with the number of judgments. {@code alsoEachJudgment} sees every published judgment in
   * the same pass (the rationalization metrics' tally), so the file is read once.
   *
   * @param candidates candidates published
   * @param candidatesPerPrompt prompt id to its number of candidates (pairwise judges see k(k-1) ordered pairs each)
   * @param importedJudgments judgments that came with the input rather than from a model call
   * @param llmJudgments judge name to the statuses of its model-made judgments
   * @param failures stage to error class to count
   * @param rewards reward model to its published rewards
   * @param consensusPrompts prompts consensus is given: those with any reward or pair preference (of any reward model,
   *     as {@link PromptCuration} decides them; a prompt whose primary rewarded nothing is rejected {@code
   *     no_primary_pair}), 0 without consensus
   */
  record Published(
      long candidates,
      Map<String, Integer> candidatesPerPrompt,
      long importedJudgments,
      Map<String, Map<JudgmentStatus, Long>> llmJudgments,
      Map<String, Map<String, Long>> failures,
      Map<String, RewardTally> rewards,
      long consensusPrompts) {
    static Published read(Recipe recipe, RunDirectory dir, Consumer<Judgment> alsoEachJudgment) {
      Map<String, Integer> perPrompt = new HashMap<>();
      long[] candidates = {0};
      dir.forEach("candidates", "candidates.jsonl", Candidate.class, c -> {
        candidates[0]++;
        perPrompt.merge(c.promptId(), 1, Integer::sum);
      });
      long[] imported = {0};
      Map<String, Map<JudgmentStatus, Long>> llm = new HashMap<>();
      dir.forEach("judgments", "judgments.jsonl", Judgment.class, j -> {
        alsoEachJudgment.accept(j);
        if (j.source().equals("llm")) {
          llm.computeIfAbsent(j.judge(), k -> new EnumMap<>(JudgmentStatus.class)).merge(j.status(), 1L, Long::sum);
        } else {
          imported[0]++;
        }
      });
      Map<String, Map<String, Long>> failures = new HashMap<>();
      dir.forEach("failures", "failures.jsonl", Failure.class, f ->
          failures.computeIfAbsent(f.stage(), k -> new TreeMap<>()).merge(f.errorClass(), 1L, Long::sum));
      Map<String, RewardTally> rewards = new HashMap<>();
      Set<String> consensusPrompts = new HashSet<>();
      if (!recipe.rewardModels().isEmpty()) {
        dir.forEach("rewards", "rewards.jsonl", CandidateReward.class, r -> {
          rewards.merge(r.rewardModel(), RewardTally.NONE.plus(r), (a, b) -> a.plus(r));
          consensusPrompts.add(r.promptId());
        });
        // Counting only the primary's prompts left out a prompt whose primary rewarded nothing (every call of its judge
        // refused by a budget cap), which consensus still rejects as no_primary_pair: the stage did not balance.
        dir.forEach("rewards", "preferences.jsonl", PairPreference.class, p -> consensusPrompts.add(p.promptId()));
      }
      return new Published(
          candidates[0], perPrompt, imported[0], llm, failures, rewards, recipe.consensus() == null ? 0 : consensusPrompts.size());
    }

    /** Failures of {@code stage} by error class; empty when it had none. */
    Map<String, Long> failuresOf(String stage) {
      return failures.getOrDefault(stage, Map.of());
    }

    /** How many records {@code stage} failed. */
    long failedIn(String stage) {
      return sum(failuresOf(stage));
    }

    /** The published rewards of reward model {@code name}. */
    RewardTally rewardsOf(String name) {
      return rewards.getOrDefault(name, RewardTally.NONE);
    }

    /** Whether some stage's calls were refused by the budget cap. */
    boolean budgetRefused() {
      return failures.values().stream().anyMatch(byClass -> byClass.containsKey(BUDGET));
    }
  }
}
