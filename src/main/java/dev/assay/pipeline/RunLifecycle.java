package dev.assay.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.consistency.ConsistencySummary;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.curation.rationalization.MetaJudge;
import dev.assay.curation.rationalization.RationalizationMetrics;
import dev.assay.curation.rationalization.TieBreak;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgeSpec;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.Endpoints;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.SharedEndpoint;
import dev.assay.batch.OnlineBatchProvider;
import dev.assay.pipeline.RecipeRunner.Options;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.report.ReportWriter;
import dev.assay.generation.CandidateFile;
import dev.assay.report.SimulatedTruth;
import dev.assay.rewards.VoterMetrics;
import dev.assay.run.FilterGains;
import dev.assay.ranking.RankingSummary;
import dev.assay.run.EndpointUsage;
import dev.assay.run.FileHash;
import dev.assay.run.GateResult;
import dev.assay.run.LedgerUsage;
import dev.assay.run.PreflightCheck;
import dev.assay.run.RunDirectory;
import dev.assay.run.RunLock;
import dev.assay.run.RunManifest;
import dev.assay.run.StageCount;
import dev.assay.run.StageMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.util.ReleaseInfo;

/**
 * The life of one run around its plan ({@link RunPlan}) and its accounting ({@link RunAccounting}): endpoint leases
 * and preflight, the run directory's lock and guard, the ledger session, the manifest ({@code running}, then final),
 * the pipelines' runs with their progress lines, publication, gates, the console summary and the exit code.
 *
 * <p>Exit codes (see {@link RecipeRunner}): 0 complete; 1 a gate missed, the budget cap reached, or a voter with no
 * usable output; 3 a stage whose every record failed ({@link StageFailures} says why). Failure modes before anything
 * is written: {@link InputException} for bad input or an endpoint whose client cannot be built, {@link
 * UsageException} for a run directory in use or holding a run that was neither resumed nor overwritten, and
 * preflight's exceptions. After the run: {@link dev.assay.run.AccountingException} when a stage's counts do not add
 * up (records lost or invented), after the manifest and the console lines are written.
 */
final class RunLifecycle {
  private RunLifecycle() {}

  static RunResult run(LoadedConfig loaded, Options options, PrintStream out) {
    Recipe recipe = loaded.recipe();
    RunDirectory dir = new RunDirectory(options.runDir(), sharedLedger(loaded));
    String startedAt = now();
    RunInputs inputs = RunInputs.read(recipe, loaded.recipeDir());
    Workload workload = Workload.of(recipe, inputs);
    options = resolveRunner(options, workload.judgments(recipe), workload.requests(recipe));
    options = withBackendNotices(options);
    List<JudgeDefinition> judges = RunPlan.judges(recipe, loaded.recipeDir());
    // The runner holds a lease on each shared client for the whole run, so that with in-process workers (direct,
    // Flink [local]) DoFn teardowns never close a client the live progress line reads, and the pipelines of one run
    // share one client. The manifest's usage does not depend on them: it comes from the workers' Beam counters.
    // Taken before the folder is touched: a client that cannot be built (its API key variable is not set) is bad
    // input, reported before anything is written.
    Map<String, LlmBackend> leases = leases(loaded, options);
    try {
      // Before the folder is locked or touched and before any run request: a wrong model, a missing capability or a
      // mix of simulated and real endpoints stops here (exit 2), an unreachable endpoint with its LlmException (exit 3).
      Preflight.Result preflight = Preflight.check(recipe, leases::get).orThrow();
      // Locked before the folder is judged or touched, and only after the input checked out (bad input creates no
      // folder): a second process must never clear or resume a folder another one is writing (issue 15, item 8).
      try (RunLock lock = lock(dir, options)) {
        guardRunDirectory(dir, options);
        dir.prepare();
        Ledger.release(dir.ledger());
        Ledger.beginSession(dir.ledger());
        Run run = new Run(loaded, options, out, dir, startedAt, inputs, workload, leases, preflight);
        Map<String, BackendProvider> providers = providers(recipe, options);
        try {
          return run.execute(judges, providers);
        } finally {
          // Batch-mode endpoints poll on their own threads; a batch still running is picked up by a resume.
          providers.values().forEach(p -> {
            if (p instanceof OnlineBatchProvider batch) {
              OnlineBatchProvider.closeRun(batch.runToken());
            }
          });
        }
      }
    } finally {
      leases.values().forEach(LlmBackend::close);
    }
  }

  /** One run's state, from the locked directory to its exit code. */
  private record Run(
      LoadedConfig loaded,
      Options options,
      PrintStream out,
      RunDirectory dir,
      String startedAt,
      RunInputs inputs,
      Workload workload,
      Map<String, LlmBackend> leases,
      Preflight.Result preflight) {
    Recipe recipe() {
      return loaded.recipe();
    }

    RunResult execute(List<JudgeDefinition> judges, Map<String, BackendProvider> providers) {
      Map<String, EndpointStats> statsBefore = stats(leases);
      // A resume continues the same run: its id is on every pair and SFT line, so it must not change (issue 15, item 7).
      String runId =
          (options.resume() ? dir.recordedRunId() : Optional.<String>empty())
              .orElseGet(() -> recipe().name() + "-" + startedAt.replace(":", "").replace("-", "") + "-" + UUID.randomUUID().toString().substring(0, 8));
      dir.writeManifest(manifest(runId, "running", null, Map.of(), Map.of(), null, options.notes(), List.of(), null));
      GateResult qualified = QualificationStage.run(recipe(), loaded.recipeDir(), judges, providers, dir, options.runner(), out);
      if (qualified != null && !qualified.passed()) {
        // The judge fell short of gates.min_judge_accuracy: the round stops before it generates or judges anything.
        RunManifest stopped = manifest(runId, "gate_failed", now(), Map.of(), Map.of(), null, options.notes(), List.of(qualified), null);
        dir.writeManifest(stopped);
        out.println(qualified.line());
        return new RunResult(1, stopped);
      }

      RunPlan plan = new RunPlan(
              recipe(), loaded.recipeDir(), inputs, judges, dir, runId, providers, options.backends());
      Pipeline p = Pipeline.create(options.runner().options());
      plan.buildPipeline(p);
      // On a cluster the DoFns' clients live in the workers' JVMs: the leases here see nothing, so no live count.
      boolean liveProgress = options.progress() && options.runner().embedded();
      long expected = workload.requests(recipe());
      long pipelineStart = System.nanoTime();
      if (options.progress() && !liveProgress) {
        ProgressMeter.announceRemote(options.runner().flinkMaster(), expected, System.err);
      }
      List<PipelineResult> results = new ArrayList<>();
      results.add(runPipeline(p, liveProgress ? ProgressMeter.start(leases, statsBefore, expected, "", System.err, System.console() != null) : null));
      dir.publishAll(plan.publications());
      Ledger.release(dir.ledger());
      // The meta-judge pass reads what every worker of the main pass recorded.
      Ledger.beginSession(dir.ledger());

      Recipe recipe = recipe();
      RationalizationMetrics.Tally rationalized = new RationalizationMetrics.Tally();
      RunAccounting.Published published =
          RunAccounting.Published.read(
              recipe, dir, recipe.rationalization() == null ? j -> {} : j -> RationalizationStage.tally(recipe.rationalization(), j, rationalized));
      JudgeDefinition metaJudge = plan.metaJudge();
      long metaCandidates = 0;
      long metaCalls = 0;
      if (metaJudge != null) {
        // Two more pipeline runs, after the main one: the meta-judge grades the judgments the main run published, and
        // only then can BuildRationalizationPairs be built, since its TieBreak (the meta scores) is a construction
        // argument. Both replay from the ledger on --resume like the main run.
        metaCandidates = MetaJudgeStage.requests(recipe.rationalization(), loaded.recipeDir(), judges, inputs.imported(), dir);
        // Its calls are known only now, from the judgments the main pass published: a line of its own, its own total.
        metaCalls = metaCandidates * metaJudge.n();
        ProgressMeter metaMeter =
            liveProgress ? ProgressMeter.start(leases, stats(leases), metaCalls, "meta-judge pass: ", System.err, System.console() != null) : null;
        try {
          results.add(
              MetaJudgeStage.run(
                  metaJudge, recipe.rationalization(), loaded.recipeDir(), judges, inputs.imported(), recipe.seed(), dir,
                  providers.get(metaJudge.endpointName()), options.runner()));
        } finally {
          if (metaMeter != null) {
            metaMeter.close();
          }
        }
        Pipeline rp = Pipeline.create(options.runner().options());
        plan.buildRationalization(rp, TieBreak.metaJudge(MetaJudge.fromJudgments(MetaJudgeStage.judgments(dir))));
        results.add(runPipeline(rp, null));
        dir.publishAll(RationalizationStage.outputs());
      }
      AnchorStage.Result anchored =
          AnchorStage.run(recipe, loaded.recipeDir(), judges, providers, dir, options.previousIteration(), options.runner(), out);
      if (anchored != null) {
        results.add(anchored.pipeline());
      }
      // After the main pass published this iteration's candidates: this policy against the previous one (ranking:).
      RankingStage.Result ranked = RankingStage.run(recipe, judges, options.previousIteration(), dir, providers, options.runner(), out);
      if (ranked != null) {
        results.add(ranked.pipeline());
      }
      dir.cleanWork();
      if (recipe.rationalization() != null) {
        out.println(
            RationalizationStage.writeMetrics(dir, recipe.rationalization(), rationalized, loaded.recipeDir(), recipe.iteration(), recipe.seed())
                .line());
      }
      Map<String, StageCount> stages =
          RunAccounting.stages(new RunAccounting.Scope(recipe, plan.voters(), metaJudge, metaCandidates, inputs), dir, published, rationalized);
      if (anchored != null) {
        stages = new LinkedHashMap<>(stages);
        stages.putAll(anchored.stages());
      }
      if (ranked != null) {
        stages.put(RankingStage.STAGE, ranked.count());
      }
      Map<String, Long> counters = counters(results);
      Map<String, EndpointUsage> usage = usage(recipe, counters);
      dev.assay.run.RunCosts costs = RunCostsTally.of(recipe, counters, dir);
      if (options.progress() && !liveProgress) {
        ProgressMeter.finishRemote(usage.values(), expected + metaCalls, Duration.ofNanos(System.nanoTime() - pipelineStart), System.err);
      }
      boolean budget =
          published.budgetRefused() || MetaJudgeStage.failures(dir).stream().anyMatch(f -> f.errorClass().equals(RunAccounting.BUDGET))
              || ranked != null && ranked.count().reasons().containsKey(RunAccounting.BUDGET);
      return finish(runId, stages, usage, costs, budget, qualified, anchored == null ? null : anchored.summary());
    }

    /** Runs {@code p} to the end; {@code meter}, when given, prints its final line whatever the pipeline did. */
    private static PipelineResult runPipeline(Pipeline p, ProgressMeter meter) {
      try {
        PipelineResult result = p.run();
        result.waitUntilFinish();
        return result;
      } finally {
        if (meter != null) {
          meter.close();
        }
      }
    }

    /** Status, notes, gates and the final manifest; the console lines; the exit code. */
    private RunResult finish(
        String runId, Map<String, StageCount> stages, Map<String, EndpointUsage> usage, dev.assay.run.RunCosts costs,
        boolean budget, GateResult qualified, JsonNode anchor) {
      Recipe recipe = recipe();
      boolean unreachable = stages.values().stream().anyMatch(s -> s.in() > 0 && s.failed() == s.in());
      List<String> silentVoters = budget || unreachable ? List.of() : RunAccounting.silentVoters(recipe, stages);
      String status = budget ? "budget_exhausted" : unreachable || !silentVoters.isEmpty() ? "failed" : "complete";
      ConsistencySummary summary = recipe.consistency() == null ? null : SelfRewardingStage.summary(dir);
      // Gates judge data a run produced in full; a run stopped by the budget or a dead backend already fails louder.
      List<GateResult> gates = new ArrayList<>();
      if (qualified != null) {
        gates.add(qualified);
      }
      gates.addAll(status.equals("complete") ? Gates.check(recipe, dir, stages) : List.of());
      boolean gateFailed = !Gates.passed(gates);
      if (gateFailed) {
        status = "gate_failed";
      }
      FilterGains gains = filterGains(summary);
      RunManifest manifest = manifest(runId, status, now(), stages, usage, summary, notes(gains), gates, costs);
      if (gains != null) {
        manifest = manifest.withFilterGains(gains);
      }
      if (anchor != null) {
        manifest = manifest.withAnchor(anchor);
      }
      dir.writeManifest(manifest);
      out.println(costs.line());

      for (var e : stages.entrySet()) {
        out.println(e.getValue().line(e.getKey()));
      }
      writeReport(dir, out);
      RunAccounting.requireBalanced(stages);
      if (budget) {
        out.println("stopped at the budget cap: completed requests are in the ledger; rerun with --resume to continue");
        return new RunResult(1, manifest);
      }
      if (unreachable) {
        // Unreachable, rejected (4xx) and failing (5xx) backends need different fixes: say which (issue 15, item 6).
        StageFailures.explain(dir, stages, MetaJudgeStage.failures(dir)).forEach(out::println);
        return new RunResult(3, manifest);
      }
      if (!silentVoters.isEmpty()) {
        // Consensus would count one voter fewer without saying so ("2 of 3" silently becoming "2 of 2").
        for (String voter : silentVoters) {
          String stage = VoterMetrics.stage(voter);
          out.println("voter " + voter + " has no usable output (" + stages.get(stage).line(stage)
              + "): the run stops rather than vote with fewer voters; see failures/failures.jsonl and the judgments it reads");
        }
        return new RunResult(1, manifest);
      }
      for (var g : gates) {
        // A default gate that held is no news; one the recipe set is reported either way.
        if (!g.passed() || !Gates.isDefault(recipe, g)) {
          out.println(g.line());
        }
      }
      return new RunResult(gateFailed ? 1 : 0, manifest);
    }

    /**
     * What each pair filter gained in truly-better rate (the report and the card read it from the manifest): against
     * the imported candidates' gold scores when they carry them, else on a simulated run against the simulator's
     * truth; null on real endpoints without gold, where there is no truth, and for recipes without consensus.
     */
    private FilterGains filterGains(ConsistencySummary summary) {
      Recipe recipe = recipe();
      if (recipe.consensus() == null) {
        return null;
      }
      PairSpec pairs = recipe.pairs() == null ? PairSpec.defaults() : recipe.pairs();
      Double smoothing = summary == null ? null : summary.labelSmoothing();
      // Gold the user gave wins over the simulator's notion of quality, which says nothing true about imported texts.
      if (recipe.input() != null && recipe.input().format().equals("candidates")) {
        Map<String, Double> gold = CandidateFile.goldScores(loaded.recipeDir().resolve(recipe.input().path()), recipe.input().limit());
        if (!gold.isEmpty()) {
          return SimulatedTruth.goldGains(dir, recipe.consistency(), pairs, smoothing, gold);
        }
      }
      return preflight.allSimulated() ? SimulatedTruth.gains(dir, recipe.consistency(), pairs, smoothing) : null;
    }

    /** The manifest's notes: the caller's, what preflight saw, and, on the simulator, how often the chosen was truly better. */
    private List<String> notes(FilterGains gains) {
      Recipe recipe = recipe();
      List<String> notes = new ArrayList<>(options.notes());
      if (preflight.allSimulated() && notes.stream().noneMatch(n -> n.startsWith("simulated"))) {
        notes.add("simulated: every endpoint is served by Assay's simulator (owned_by " + dev.assay.llm.ListedModel.SIMULATOR + "); the answers are not a real model's");
      }
      if (preflight.simulatedNote() != null) {
        notes.add(preflight.simulatedNote());
      }
      RankingSummary ranking = recipe.ranking() == null ? null : RankingSummary.read(dir);
      if (ranking != null) {
        notes.add(ranking.line());
      }
      if (gains != null && gains.truth().equals("simulator")) {
        for (SimulatedTruth.Share share : SimulatedTruth.shares(gains)) {
          notes.add("simulated truth: chosen truly better in " + share.line());
        }
      }
      return notes;
    }

    private RunManifest manifest(
        String runId,
        String status,
        String finishedAt,
        Map<String, StageCount> stages,
        Map<String, EndpointUsage> usage,
        ConsistencySummary consistency,
        List<String> notes,
        List<GateResult> gates,
        dev.assay.run.RunCosts costs) {
      Map<String, String> versions = new TreeMap<>();
      versions.put("assay", RecipeRunner.ASSAY_VERSION);
      versions.put("java", System.getProperty("java.version"));
      versions.put("beam", ReleaseInfo.getReleaseInfo().getVersion());
      versions.put("runner", options.runner().describe());
      versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      JsonNode config = Json.mapper().valueToTree(loaded.config());
      List<PreflightCheck> checks = preflight.checks();
      return new RunManifest(
          runId,
          recipe().name(),
          status,
          startedAt,
          finishedAt,
          options.command(),
          config,
          loaded.configHash(),
          inputs.files(),
          loaded.files().stream().map(f -> FileHash.of(f.path())).toList(),
          templateFiles(loaded),
          recipe().seed(),
          versions,
          stages,
          usage,
          consistency == null ? null : Json.mapper().valueToTree(consistency),
          consistency == null ? null : consistency.labelSmoothing(),
          notes,
          recipe().iteration(),
          options.previousIteration() == null ? null : options.previousIteration().toString(),
          gates,
          checks,
          costs,
          LedgerUsage.of(dir, usage.values()),
          null,
          null);
    }
  }

  /**
   * The ledger shared across runs that the recipe names ({@code ledger}, relative to the recipe's folder; the command
   * line's {@code --ledger} sets it absolute), or null for the run directory's own.
   */
  static Path sharedLedger(LoadedConfig loaded) {
    String ledger = loaded.recipe().ledger();
    return ledger == null ? null : loaded.recipeDir().resolve(ledger).toAbsolutePath().normalize();
  }

  /** Says in the manifest's notes which endpoints were answered by something other than a live model (a replay). */
  private static Options withBackendNotices(Options options) {
    List<String> notes = new ArrayList<>(options.notes());
    new TreeMap<>(options.backends()).forEach((name, provider) -> {
      if (provider.notice() != null) {
        notes.add("endpoint " + name + ": " + provider.notice());
      }
    });
    return notes.size() == options.notes().size() ? options : options.withNotes(notes);
  }

  /** Resolves an {@code auto} runner from the run's size, and says in the manifest's notes what it chose and why. */
  private static Options resolveRunner(Options options, long judgments, long modelCalls) {
    RunnerChoice chosen = options.runner().resolve(judgments, modelCalls);
    if (chosen.equals(options.runner())) {
      return options;
    }
    List<String> notes = new ArrayList<>(options.notes());
    notes.add(
        "runner: auto chose " + chosen.describe() + " for " + judgments + " judgments and about " + modelCalls
            + " model calls (embedded Flink from " + RunnerChoice.AUTO_FLINK_FROM_JUDGMENTS + " judgments or "
            + RunnerChoice.AUTO_FLINK_FROM_MODEL_CALLS + " calls)");
    return options.withNotes(notes).withRunner(chosen);
  }

  /**
   * Per-endpoint usage from the Beam counters of every pipeline of the run: what was paid for, not a stage's count.
   * Counters are summed by the runner across workers, so the figures hold when the DoFns ran in other JVMs (a Flink
   * cluster) whose clients the driver never sees; the cost is the counted tokens at the endpoint's prices, the
   * formula the clients' budget uses.
   */
  private static Map<String, EndpointUsage> usage(Recipe recipe, Map<String, Long> counters) {
    Map<String, EndpointUsage> usage = new TreeMap<>();
    for (var e : recipe.endpoints().entrySet()) {
      String name = e.getKey();
      long prompt = counters.getOrDefault(StageMetrics.endpointCounter(name, "prompt_tokens"), 0L);
      long completion = counters.getOrDefault(StageMetrics.endpointCounter(name, "completion_tokens"), 0L);
      usage.put(
          name,
          new EndpointUsage(
              e.getValue().model(),
              counters.getOrDefault(StageMetrics.endpointCounter(name, "requests"), 0L),
              counters.getOrDefault(StageMetrics.endpointCounter(name, "ledger_hits"), 0L),
              counters.getOrDefault(StageMetrics.endpointCounter(name, "retries"), 0L),
              counters.getOrDefault(StageMetrics.endpointCounter(name, "failures"), 0L),
              prompt,
              completion,
              e.getValue().billedCost(prompt, completion),
              StageMetrics.servedModels(name, counters)));
    }
    return usage;
  }

  /** Every Assay counter of the run's pipelines, summed across them (and, by the runner, across workers). */
  private static Map<String, Long> counters(List<PipelineResult> results) {
    Map<String, Long> counters = new HashMap<>();
    for (PipelineResult result : results) {
      MetricQueryResults metrics =
          result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(StageMetrics.NAMESPACE)).build());
      for (MetricResult<Long> c : metrics.getCounters()) {
        counters.merge(c.getName().getName(), StageMetrics.value(c), Long::sum);
      }
    }
    return counters;
  }

  private static List<FileHash> templateFiles(LoadedConfig loaded) {
    TreeSet<String> paths = new TreeSet<>();
    for (JudgeSpec spec : loaded.recipe().judges()) {
      paths.add(loaded.recipeDir().resolve(spec.template()).normalize().toString());
      if (spec.rubric() != null) {
        paths.add(loaded.recipeDir().resolve(spec.rubric()).normalize().toString());
      }
      if (spec.referenceMode().equals("adapted")) {
        paths.add(loaded.recipeDir().resolve(RunPlan.reviseTemplate(spec)).normalize().toString());
      }
    }
    return paths.stream().map(p -> FileHash.of(Path.of(p))).toList();
  }

  /**
   * report.html beside the outputs. The data is already written and accounted for, so a report that cannot be drawn
   * is said, not fatal: {@code ./assay report RUN_DIR} redraws it.
   */
  private static void writeReport(RunDirectory dir, PrintStream out) {
    try {
      out.println("report: " + ReportWriter.write(dir.root()));
    } catch (RuntimeException e) {
      out.println("report.html not written (" + e.getMessage() + "); the run's files are complete");
    }
  }

  private static RunLock lock(RunDirectory dir, Options options) {
    try {
      return RunLock.acquire(dir.root(), options.command(), options.breakLock(), System.err);
    } catch (RunLock.HeldException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void guardRunDirectory(RunDirectory dir, Options options) {
    // The run's own ledger: a shared one says nothing about this folder, and is never deleted with it.
    boolean occupied = Files.exists(dir.manifest()) || Files.isDirectory(dir.ownLedger());
    if (!occupied) {
      return;
    }
    if (options.overwrite()) {
      try {
        dir.clearOutputs();
        deleteLedger(dir);
      } catch (UncheckedIOException e) {
        throw new UsageException("cannot clear " + dir.root() + ": " + e.getMessage());
      }
      return;
    }
    if (!options.resume()) {
      String what = dir.finished() ? "a finished run" : "an unfinished run";
      throw new UsageException(
          dir.root() + " holds " + what + ": pass --resume to continue it (completed requests are replayed from its"
              + " ledger) or --overwrite to start again from nothing");
    }
  }

  private static void deleteLedger(RunDirectory dir) {
    Ledger.release(dir.ownLedger());
    try {
      dev.assay.io.Folders.deleteRecursively(dir.ownLedger());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, BackendProvider> providers(Recipe recipe, Options options) {
    Map<String, BackendProvider> providers = new HashMap<>();
    String runToken = java.util.UUID.randomUUID().toString();
    for (var e : recipe.endpoints().entrySet()) {
      BackendProvider supplied = options.backends().get(e.getKey());
      providers.put(
          e.getKey(),
          supplied != null
              ? supplied
              : e.getValue().batchMode()
                  ? OnlineBatchProvider.of(e.getKey(), e.getValue(), options.runDir(), runToken)
                  : new SharedEndpoint(e.getKey(), e.getValue()));
    }
    return providers;
  }

  /**
   * Takes a lease on the shared client of every endpoint the caller did not supply a backend for.
   *
   * @throws InputException naming the recipe and the endpoint when a client cannot be built: its API key variable is
   *     unset or unusable, or its URL does not parse (the client's message names the variable, never a value)
   */
  private static Map<String, LlmBackend> leases(LoadedConfig loaded, Options options) {
    Map<String, LlmBackend> leases = new HashMap<>();
    for (var e : loaded.recipe().endpoints().entrySet()) {
      if (options.backends().containsKey(e.getKey())) {
        continue;
      }
      try {
        leases.put(e.getKey(), Endpoints.shared(e.getKey(), e.getValue()));
      } catch (IllegalArgumentException bad) {
        leases.values().forEach(LlmBackend::close);
        String recipeFile = loaded.files().isEmpty() ? loaded.recipe().name() : loaded.files().get(0).path().toString();
        throw new InputException(recipeFile, 0, "endpoints." + e.getKey(), bad.getMessage());
      }
    }
    return leases;
  }

  private static Map<String, EndpointStats> stats(Map<String, LlmBackend> leases) {
    Map<String, EndpointStats> stats = new HashMap<>();
    leases.forEach((name, backend) -> stats.put(name, backend.stats()));
    return stats;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
