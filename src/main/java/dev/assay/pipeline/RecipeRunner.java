package dev.assay.pipeline;

import dev.assay.report.SimulatedTruth;
import dev.assay.run.PreflightCheck;
import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.judging.JudgeSpec;
import dev.assay.consensus.FilterByConsensus;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.pipeline.recipe.Recipe;
import dev.assay.curation.rationalization.MetaJudge;
import dev.assay.curation.pairs.PairSpec;
import dev.assay.curation.rationalization.RationalizationMetrics;
import dev.assay.curation.rationalization.TieBreak;
import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateFile;
import dev.assay.generation.GenerateResponses;
import dev.assay.generation.Prompt;
import dev.assay.generation.PromptFile;
import dev.assay.generation.CandidateCoder;
import dev.assay.judging.JudgmentCoder;
import dev.assay.io.Failure;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.grouping.ReadJsonl;
import dev.assay.io.WriteJsonl;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentImport;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Rubric;
import dev.assay.judging.SampleJudgments;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.BudgetExceededException;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.EndpointStats;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.Endpoints;
import dev.assay.llm.SharedEndpoint;
import dev.assay.report.ReportWriter;
import dev.assay.run.EndpointUsage;
import dev.assay.run.FileHash;
import dev.assay.run.RunDirectory;
import dev.assay.run.RunLock;
import dev.assay.run.RunManifest;
import dev.assay.run.StageCount;
import dev.assay.run.StageMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.util.ReleaseInfo;

/**
 * Runs a recipe into a run directory: reads the input, builds the Beam pipeline (generate, judge), runs it, publishes
 * sorted outputs, checks {@code in = out + rejected + failed} for every stage, and writes {@code manifest.json}.
 *
 * <p>Inputs are read and validated on the driver before any model is called, so bad input fails fast with file,
 * line and field ({@link InputException}). A run directory that holds a run is only reused with {@code resume} (the
 * ledger replays every completed request: a finished run replays for free and yields byte-identical outputs) or
 * {@code overwrite} (start from nothing). Exit codes: 0 complete; 1 stopped at a budget cap (resume later to
 * continue); 1 a gate of the recipe's {@code gates:} was missed (status {@code gate_failed}, see {@link Gates}); 3 the
 * backend failed every request of a stage (unreachable, rejecting or failing: {@link StageFailures} says which).
 */
public final class RecipeRunner {
  /** Version of Assay itself, from the build. */
  public static final String ASSAY_VERSION = AssayVersion.get();

  private static final String BUDGET = BudgetExceededException.class.getSimpleName();

  /**
   * @param runDir the run (iteration) folder
   * @param resume reuse the ledger and outputs of an earlier, possibly interrupted, run in {@code runDir}
   * @param overwrite discard whatever {@code runDir} holds, ledger included
   * @param command the command line, recorded in the manifest
   * @param backends endpoint name to provider; endpoints missing here use the shared production client
   * @param notes lines recorded in the manifest (e.g. that a simulator answered)
   * @param previousIteration the run directory of iteration t-1 in a series of rounds, recorded in the manifest, or
   *     null
   * @param progress whether to show a progress line on standard error while the pipeline runs (a rewritten line on a
   *     terminal, a plain line every 10 s elsewhere); off for library callers and tests unless asked
   * @param runner the Beam runner every pipeline of the run uses; null means the direct runner
   * @param breakLock take over the run directory's lock when a process on another host holds it ({@link RunLock})
   */
  public record Options(
      Path runDir,
      boolean resume,
      boolean overwrite,
      String command,
      Map<String, BackendProvider> backends,
      List<String> notes,
      Path previousIteration,
      boolean progress,
      RunnerChoice runner,
      boolean breakLock) {
    /** Options of a single run on the direct runner: no previous iteration, no progress line. */
    public Options(
        Path runDir, boolean resume, boolean overwrite, String command, Map<String, BackendProvider> backends, List<String> notes) {
      this(runDir, resume, overwrite, command, backends, notes, null, false, null, false);
    }

    /** Options that leave a lock held from another host alone ({@code breakLock} false), as every caller but the CLI's. */
    public Options(
        Path runDir, boolean resume, boolean overwrite, String command, Map<String, BackendProvider> backends, List<String> notes,
        Path previousIteration, boolean progress, RunnerChoice runner) {
      this(runDir, resume, overwrite, command, backends, notes, previousIteration, progress, runner, false);
    }

    public Options {
      Objects.requireNonNull(runDir, "runDir");
      runner = runner == null ? RunnerChoice.direct() : runner;
      command = command == null ? "" : command;
      backends = backends == null ? Map.of() : Map.copyOf(backends);
      notes = notes == null ? List.of() : List.copyOf(notes);
    }
  }

  private RecipeRunner() {}

  public static RunResult run(LoadedConfig loaded, Options options, PrintStream out) {
    Recipe recipe = loaded.recipe();
    RunDirectory dir = new RunDirectory(options.runDir());
    String startedAt = now();
    Inputs inputs = Inputs.read(recipe, loaded.recipeDir());
    Workload workload = Workload.of(recipe, inputs);
    options = resolveRunner(options, workload.judgments(recipe), workload.requests(recipe));
    options = withBackendNotices(options);
    List<JudgeDefinition> judges = judges(recipe, loaded.recipeDir());
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
        Map<String, BackendProvider> providers = providers(recipe, options);
        return runWithLeases(loaded, options, out, recipe, dir, startedAt, inputs, judges, providers, leases, preflight);
      }
    } finally {
      leases.values().forEach(LlmBackend::close);
    }
  }

  /** Says in the manifest's notes which endpoints were answered by something other than a live model (a replay). */
  private static Options withBackendNotices(Options options) {
    List<String> notes = new ArrayList<>(options.notes());
    new java.util.TreeMap<>(options.backends()).forEach((name, provider) -> {
      if (provider.notice() != null) {
        notes.add("endpoint " + name + ": " + provider.notice());
      }
    });
    return notes.size() == options.notes().size()
        ? options
        : new Options(
            options.runDir(), options.resume(), options.overwrite(), options.command(), options.backends(), notes,
            options.previousIteration(), options.progress(), options.runner());
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
    return new Options(
        options.runDir(), options.resume(), options.overwrite(), options.command(), options.backends(), notes,
        options.previousIteration(), options.progress(), chosen, options.breakLock());
  }

  private static RunResult runWithLeases(
      LoadedConfig loaded,
      Options options,
      PrintStream out,
      Recipe recipe,
      RunDirectory dir,
      String startedAt,
      Inputs inputs,
      List<JudgeDefinition> judges,
      Map<String, BackendProvider> providers,
      Map<String, LlmBackend> leases,
      Preflight.Result preflight) {
    Map<String, EndpointStats> statsBefore = stats(leases);
    // A resume continues the same run: its id is on every pair and SFT line, so it must not change (issue 15, item 7).
    String runId =
        (options.resume() ? dir.recordedRunId() : java.util.Optional.<String>empty())
            .orElseGet(() -> recipe.name() + "-" + startedAt.replace(":", "").replace("-", "") + "-" + UUID.randomUUID().toString().substring(0, 8));

    RunManifest running =
        manifest(runId, "running", startedAt, null, loaded, options, inputs, Map.of(), Map.of(), null, null, options.notes(), List.of(), preflight.checks());
    dir.writeManifest(running);
    dev.assay.run.GateResult qualified = QualificationStage.run(recipe, loaded.recipeDir(), judges, providers, dir, options.runner(), out);
    if (qualified != null && !qualified.passed()) {
      // The judge fell short of gates.min_judge_accuracy: the round stops before it generates or judges anything.
      RunManifest stopped =
          manifest(runId, "gate_failed", startedAt, now(), loaded, options, inputs, Map.of(), Map.of(), null, null, options.notes(), List.of(qualified), preflight.checks());
      dir.writeManifest(stopped);
      out.println(qualified.line());
      return new RunResult(1, stopped);
    }

    // With tie_break: meta-judge the meta-judge only grades judgments (MetaJudgeStage): it does not judge candidates.
    String metaName = recipe.rationalization() == null ? null : recipe.rationalization().metaJudgeName();
    List<JudgeDefinition> voters = judges.stream().filter(j -> !j.name().equals(metaName)).toList();
    Pipeline p = Pipeline.create(options.runner().options());
    List<PCollection<Failure>> failures = new ArrayList<>();
    PCollection<Candidate> candidates;
    if (recipe.generation() != null) {
      var gen = recipe.generation();
      EndpointConfig ep = recipe.endpoints().get(gen.endpoint());
      PCollection<Prompt> prompts = p.apply("ReadPrompts", ReadJsonl.of(Prompt.class, staged(dir, "prompts", inputs.prompts())));
      if (recipe.promptFilters() != null) {
        prompts = PromptFilterStage.attach(recipe.promptFilters(), loaded.recipeDir(), prompts, dir);
      }
      PCollectionTuple generated =
          prompts.apply(
              GenerateResponses.using(gen.endpoint(), ep.model(), gen, recipe.seed(), dir.ledger(), providers.get(gen.endpoint())));
      candidates = generated.get(GenerateResponses.CANDIDATES);
      failures.add(generated.get(GenerateResponses.FAILURES));
    } else {
      candidates = p.apply("ReadCandidates", ReadJsonl.of(Candidate.class, staged(dir, "candidates", inputs.candidates())).withCoder(CandidateCoder.of()));
    }
    writeJsonl(candidates, dir, "candidates");

    List<PCollection<Judgment>> judgmentOutputs = new ArrayList<>();
    if (inputs.judgments().count() > 0) {
      judgmentOutputs.add(p.apply("ReadJudgments", ReadJsonl.of(Judgment.class, dir.adopt("judgments", inputs.judgments().file())).withCoder(JudgmentCoder.of())));
    }
    for (JudgeDefinition judge : voters) {
      PCollectionTuple judged =
          candidates.apply(
              "Judge-" + judge.name(),
              SampleJudgments.by(judge, recipe.seed(), dir.ledger(), providers.get(judge.endpointName())));
      judgmentOutputs.add(judged.get(SampleJudgments.JUDGMENTS));
      failures.add(judged.get(SampleJudgments.FAILURES));
    }
    if (!judgmentOutputs.isEmpty()) {
      PCollection<Judgment> allJudgments = PCollectionList.of(judgmentOutputs).apply("AllJudgments", Flatten.pCollections());
      writeJsonl(allJudgments, dir, "judgments");
      if (!recipe.rewardModels().isEmpty()) {
        SelfRewardingStage.attach(
            recipe, loaded.recipeDir(), candidates, allJudgments, dir, runId, failures, options.runner().shards(), options.backends());
      }
      if (recipe.rationalization() != null && metaName == null) {
        RationalizationStage.attach(
                recipe, loaded.recipeDir(), judges, inputs.imported(), candidates, allJudgments, runId, TieBreak.seeded(recipe.seed()))
            .write(dir);
      }
    }
    if (!failures.isEmpty()) {
      writeJsonl(PCollectionList.of(failures).apply("AllFailures", Flatten.pCollections()), dir, "failures");
    }

    PipelineResult result;
    // On a cluster the DoFns' clients live in the workers' JVMs: the leases here see nothing, so no live count.
    boolean liveProgress = options.progress() && options.runner().embedded();
    long expected = Workload.of(recipe, inputs).requests(recipe);
    ProgressMeter meter = liveProgress ? ProgressMeter.start(leases, statsBefore, expected, "", System.err, System.console() != null) : null;
    long pipelineStart = System.nanoTime();
    if (options.progress() && !liveProgress) {
      ProgressMeter.announceRemote(options.runner().flinkMaster(), expected, System.err);
    }
    try {
      result = p.run();
      result.waitUntilFinish();
    } finally {
      if (meter != null) {
        meter.close(); // prints the final line and stops the ticker, whatever the pipeline did
      }
    }

    List<RunDirectory.Publication> outputs = new ArrayList<>(List.of(
        new RunDirectory.Publication("candidates", "candidates", "candidates.jsonl"),
        new RunDirectory.Publication("judgments", "judgments", "judgments.jsonl"),
        new RunDirectory.Publication("failures", "failures", "failures.jsonl")));
    if (recipe.promptFilters() != null && recipe.generation() != null) {
      outputs.addAll(PromptFilterStage.outputs());
    }
    if (recipe.rationalization() != null && metaName == null) {
      outputs.addAll(RationalizationStage.outputs());
    }
    if (!recipe.rewardModels().isEmpty()) {
      outputs.addAll(SelfRewardingStage.outputs(recipe));
    }
    long nCandidates = dir.publishAll(outputs).get("candidates");
    Ledger.release(dir.ledger());
    // The meta-judge pass reads what every worker of the main pass recorded.
    Ledger.beginSession(dir.ledger());

    RationalizationMetrics.Tally rationalized = new RationalizationMetrics.Tally();
    Published published =
        Published.read(dir, recipe.rationalization() == null ? j -> {} : j -> RationalizationStage.tally(recipe.rationalization(), j, rationalized));
    List<PipelineResult> results = new ArrayList<>(List.of(result));
    long nMetaCandidates = 0;
    long metaCalls = 0;
    JudgeDefinition metaJudge = null;
    if (metaName != null) {
      // Two more pipeline runs, after the main one: the meta-judge grades the judgments the main run published, and
      // only then can BuildRationalizationPairs be built, since its TieBreak (the meta scores) is a construction
      // argument. Both replay from the ledger on --resume like the main run.
      metaJudge = judges.stream().filter(j -> j.name().equals(metaName)).findFirst().orElseThrow();
      nMetaCandidates = MetaJudgeStage.requests(recipe.rationalization(), loaded.recipeDir(), judges, inputs.imported(), dir);
      // Its calls are known only now, from the judgments the main pass published: a line of its own, its own total.
      metaCalls = nMetaCandidates * metaJudge.n();
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
      TieBreak byMeta = TieBreak.metaJudge(MetaJudge.fromJudgments(MetaJudgeStage.judgments(dir)));
      Pipeline rp = Pipeline.create(options.runner().options());
      PCollection<Candidate> publishedCandidates =
          rp.apply("ReadCandidates", ReadJsonl.of(Candidate.class, dir.output("candidates", "candidates.jsonl").toString()).withCoder(CandidateCoder.of()));
      PCollection<Judgment> publishedJudgments =
          rp.apply("ReadJudgments", ReadJsonl.of(Judgment.class, dir.output("judgments", "judgments.jsonl").toString()).withCoder(JudgmentCoder.of()));
      RationalizationStage.attach(
              recipe, loaded.recipeDir(), judges, inputs.imported(), publishedCandidates, publishedJudgments, runId, byMeta)
          .write(dir);
      PipelineResult rr = rp.run();
      rr.waitUntilFinish();
      results.add(rr);
      dir.publishAll(RationalizationStage.outputs());
    }
    dir.cleanWork();
    Map<String, StageCount> stages = new LinkedHashMap<>();
    if (recipe.promptFilters() != null && recipe.generation() != null) {
      stages.put(PromptFilterStage.STAGE, PromptFilterStage.account(dir, inputs.prompts().count()));
    }
    stages.putAll(account(recipe, voters, inputs, published, nCandidates, PromptFilterStage.kept(dir, recipe, inputs.prompts().count())));
    if (metaJudge != null) {
      stages.put(SampleJudgments.stage(metaJudge.name()), MetaJudgeStage.account(dir, metaJudge, nMetaCandidates, BUDGET));
    }
    if (recipe.rationalization() != null) {
      stages.putAll(RationalizationStage.account(dir, recipe.rationalization(), rationalized, loaded.recipeDir(), recipe.iteration()));
    }
    Map<String, Long> counters = counters(results);
    if (!recipe.rewardModels().isEmpty()) {
      stages.putAll(rewardStages(recipe, counters));
      stages.putAll(SelfRewardingStage.account(recipe, dir, published.failedIn(FilterByConsensus.STAGE)));
    }
    Map<String, EndpointUsage> usage = usage(recipe, counters);
    if (options.progress() && !liveProgress) {
      ProgressMeter.finishRemote(usage.values(), expected + metaCalls, java.time.Duration.ofNanos(System.nanoTime() - pipelineStart), System.err);
    }

    boolean budget =
        published.failures().values().stream().anyMatch(byClass -> byClass.containsKey(BUDGET))
            || MetaJudgeStage.failures(dir).stream().anyMatch(f -> f.errorClass().equals(BUDGET));
    boolean unreachable = stages.values().stream().anyMatch(s -> s.in() > 0 && s.failed() == s.in());
    List<String> silentVoters = budget || unreachable ? List.of() : silentVoters(recipe, stages);
    String status = budget ? "budget_exhausted" : unreachable || !silentVoters.isEmpty() ? "failed" : "complete";
    List<String> notes = new ArrayList<>(options.notes());
    if (preflight.allSimulated() && notes.stream().noneMatch(n -> n.startsWith("simulated"))) {
      notes.add("simulated: every endpoint is served by Assay's simulator (owned_by " + dev.assay.llm.ListedModel.SIMULATOR + "); the answers are not a real model's");
    }
    if (preflight.simulatedNote() != null) {
      notes.add(preflight.simulatedNote());
    }
    if (preflight.allSimulated() && recipe.consensus() != null) {
      Double threshold = recipe.consistency() == null ? null : recipe.consistency().threshold();
      for (SimulatedTruth.Share share : SimulatedTruth.shares(dir, recipe.consensus().primary(), threshold, recipe.pairs() == null ? PairSpec.defaults() : recipe.pairs())) {
        notes.add("simulated truth: chosen truly better in " + share.line());
      }
    }
    var summary = recipe.consistency() == null ? null : SelfRewardingStage.summary(dir);
    // Gates judge data a run produced in full; a run stopped by the budget or a dead backend already fails louder.
    List<dev.assay.run.GateResult> gates = new ArrayList<>();
    if (qualified != null) {
      gates.add(qualified);
    }
    gates.addAll(status.equals("complete") ? Gates.check(recipe, dir, stages) : List.of());
    boolean gateFailed = !Gates.passed(gates);
    if (gateFailed) {
      status = "gate_failed";
    }
    RunManifest manifest =
        manifest(runId, status, startedAt, now(), loaded, options, inputs, stages, usage,
            summary == null ? null : Json.mapper().valueToTree(summary),
            summary == null ? null : summary.labelSmoothing(),
            notes, gates, preflight.checks());
    dir.writeManifest(manifest);

    for (var e : stages.entrySet()) {
      out.println(e.getValue().line(e.getKey()));
    }
    writeReport(dir, out);
    for (var s : stages.entrySet()) {
      if (!s.getValue().balanced()) {
        throw new dev.assay.run.AccountingException("stage " + s.getKey() + " does not balance: " + s.getValue().line(s.getKey()));
      }
    }
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
        out.println("voter " + voter + " has no usable output (" + stages.get(dev.assay.rewards.RewardModels.stage(voter)).line(
            dev.assay.rewards.RewardModels.stage(voter)) + "): the run stops rather than vote with fewer voters;"
            + " see failures/failures.jsonl and the judgments it reads");
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
   * The size of a run, computed from its checked inputs before any model is called: what the progress line counts
   * down and what the {@code auto} runner choice is made on.
   *
   * @param generations responses to generate (prompts x k), 0 when candidates are given
   * @param candidates candidates the judges will see
   * @param orderedPairs ordered candidate pairs of one prompt, summed over prompts (what a pairwise judge sees)
   * @param importedJudgments judgments that came with the input
   */
  record Workload(long generations, long candidates, long orderedPairs, long importedJudgments) {
    static Workload of(Recipe recipe, Inputs inputs) {
      if (recipe.generation() != null) {
        long k = recipe.generation().k();
        long prompts = inputs.prompts().count();
        return new Workload(prompts * k, prompts * k, prompts * k * (k - 1), inputs.judgments().count());
      }
      long orderedPairs = inputs.candidatesPerPrompt().values().stream().mapToLong(k -> k * (k - 1)).sum();
      return new Workload(0, inputs.candidates().count(), orderedPairs, inputs.judgments().count());
    }

    /** Judgments the run will hold: the imported ones and every sample each configured judge is asked for. */
    long judgments(Recipe recipe) {
      return importedJudgments + judgeSamples(recipe);
    }

    /**
     * The model calls the run is expected to make, approximately (the progress line's total): the generations, every
     * judge sample, and per implicit reward model two log-prob calls per candidate (policy and reference). Retries,
     * revisions of adapted references and the meta-judge pass (which shows a line of its own, once the main pass has
     * published the judgments it grades) are not counted, so the real count can differ.
     */
    long requests(Recipe recipe) {
      long total = generations + judgeSamples(recipe);
      for (var rm : recipe.rewardModels()) {
        if (rm instanceof dev.assay.rewards.RewardModelSpec.Implicit) {
          total += 2 * candidates;
        }
      }
      return total;
    }

    /**
     * Per absolute judge candidates x n, per pairwise judge ordered pairs x n. A meta-judge ({@code tie_break:
     * meta-judge}) is left out: it grades judgments in a pass of its own, not the candidates.
     */
    private long judgeSamples(Recipe recipe) {
      String meta = recipe.rationalization() == null ? null : recipe.rationalization().metaJudgeName();
      long total = 0;
      for (JudgeSpec j : recipe.judges()) {
        if (j.name().equals(meta)) {
          continue;
        }
        total += (j.kind().equals("pairwise") ? orderedPairs : candidates) * j.n();
      }
      return total;
    }
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
    boolean occupied = Files.exists(dir.manifest()) || Files.isDirectory(dir.ledger());
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
    Ledger.release(dir.ledger());
    try {
      dev.assay.io.Folders.deleteRecursively(dir.ledger());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> void writeJsonl(PCollection<T> records, RunDirectory dir, String name) {
    records.apply("Write-" + name, WriteJsonl.to(dir.shardPrefix(name)));
  }

  private static Map<String, BackendProvider> providers(Recipe recipe, Options options) {
    Map<String, BackendProvider> providers = new HashMap<>();
    for (var e : recipe.endpoints().entrySet()) {
      providers.put(e.getKey(), options.backends().getOrDefault(e.getKey(), new SharedEndpoint(e.getKey(), e.getValue())));
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

  static List<JudgeDefinition> judges(Recipe recipe, Path baseDir) {
    List<JudgeDefinition> out = new ArrayList<>();
    for (JudgeSpec spec : recipe.judges()) {
      EndpointConfig ep = recipe.endpoints().get(spec.endpoint());
      PromptTemplate template = PromptTemplate.load(baseDir.resolve(spec.template()));
      JudgmentKind kind = spec.kind().equals("pairwise") ? JudgmentKind.PAIRWISE : JudgmentKind.ABSOLUTE;
      Rubric rubric = spec.rubric() == null ? null : Rubric.load(baseDir.resolve(spec.rubric()));
      ReferenceMode mode = ReferenceMode.valueOf(spec.referenceMode().toUpperCase());
      PromptTemplate revise =
          mode == ReferenceMode.ADAPTED
              ? PromptTemplate.load(baseDir.resolve(spec.reviseTemplate() == null ? defaultRevise(spec) : spec.reviseTemplate()))
              : null;
      out.add(
          new JudgeDefinition(
              spec.name(), spec.endpoint(), ep.model(), kind, spec.n(), spec.temperature(), spec.maxTokens(), mode,
              template, rubric, revise, spec.structured()));
    }
    return out;
  }

  private static String defaultRevise(JudgeSpec spec) {
    Path t = Path.of(spec.template());
    return (t.getParent() == null ? Path.of("revise.yaml") : t.getParent().resolve("revise.yaml")).toString();
  }

  /**
   * The inputs of a run, read and validated on the driver, line by line (file, line and field on the first bad one),
   * and staged to scratch files as they are read ({@link Staged}): the driver holds none of the records, only their
   * ids while it checks them for duplicates and a count of candidates per prompt.
   *
   * @param prompts the prompts to answer ({@link Staged#NONE} unless the input format is {@code prompts})
   * @param candidates the candidates to judge (imported; {@link Staged#NONE} when they are generated or absent)
   * @param candidatesPerPrompt prompt id to its number of candidates in {@code candidates}
   * @param judgments judgments that came with the input
   */
  record Inputs(
      Staged prompts,
      Staged candidates,
      Map<String, Long> candidatesPerPrompt,
      Staged judgments,
      List<FileHash> files,
      PrometheusEvalImport.Result imported) {
    static Inputs read(Recipe recipe, Path baseDir) {
      Path path = baseDir.resolve(recipe.input().path());
      int limit = recipe.input().limit();
      List<FileHash> files = List.of(FileHash.of(requireReadable(path)));
      Map<String, Long> perPrompt = new HashMap<>();
      return switch (recipe.input().format()) {
        case "prompts" -> {
          if (recipe.generation() == null) {
            throw new InputException(path.toString(), 0, "input.format", "prompts need a generation: section to answer them");
          }
          yield new Inputs(Staged.<Prompt>of("prompts", sink -> PromptFile.forEach(path, limit, sink)), Staged.NONE, Map.of(), Staged.NONE, files, null);
        }
        case "candidates" -> {
          Staged candidates = Staged.<Candidate>of("candidates", sink -> CandidateFile.forEach(path, limit, c -> sink.accept(counted(c, perPrompt))));
          yield new Inputs(Staged.NONE, candidates, perPrompt, Staged.NONE, files, null);
        }
        case "judgments" ->
            new Inputs(Staged.NONE, Staged.NONE, Map.of(), Staged.<Judgment>of("judgments", sink -> JudgmentImport.forEach(path, sink)), files, null);
        case "prometheus-eval" -> {
          var imported = PrometheusEvalImport.read(path);
          Staged candidates = Staged.<Candidate>of("candidates", sink -> imported.candidates().forEach(c -> sink.accept(counted(c, perPrompt))));
          yield new Inputs(Staged.NONE, candidates, perPrompt, Staged.<Judgment>of("judgments", imported.judgments()::forEach), files, imported);
        }
        default -> throw new InputException(path.toString(), 0, "input.format", "unknown format " + recipe.input().format());
      };
    }

    private static Candidate counted(Candidate c, Map<String, Long> perPrompt) {
      perPrompt.merge(c.promptId(), 1L, Long::sum);
      return c;
    }

    private static Path requireReadable(Path path) {
      if (!Files.isReadable(path)) {
        throw new InputException(path.toString(), 0, "input.path", "file not found or not readable");
      }
      return path;
    }
  }

  /** The pipeline's copy of staged input {@code name}: the scratch file moved into the run, or an empty file. */
  private static String staged(RunDirectory dir, String name, Staged records) {
    return records.file() == null ? dir.stage(name, List.of()) : dir.adopt(name, records.file());
  }

  /**
   * Checked input records written, one {@link Json#line} each, to a scratch file as they are read, so the driver
   * never holds them; {@link RunDirectory#adopt} moves the file into the run's {@code .work/} for the pipeline to
   * read.
   *
   * @param count how many there are
   * @param file the scratch file, null when there are none
   */
  record Staged(long count, Path file) {
    static final Staged NONE = new Staged(0, null);

    /**
     * Stages what {@code source} hands on, in a scratch file named after {@code what}. The scratch file is removed
     * when the source fails (bad input: nothing of it is used) and, at the latest, when the JVM exits.
     *
     * @throws InputException from the source, for bad input
     * @throws UncheckedIOException when the scratch file cannot be written
     */
    static <T> Staged of(String what, Consumer<Consumer<T>> source) {
      Path file = null;
      try {
        file = Files.createTempFile("assay-" + what + "-", ".jsonl");
        file.toFile().deleteOnExit();
        long[] n = {0};
        try (java.io.BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          source.accept(record -> {
            try {
              w.write(Json.line(record));
              w.write('\n');
              n[0]++;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        }
        if (n[0] == 0) {
          Files.deleteIfExists(file);
          return NONE;
        }
        return new Staged(n[0], file);
      } catch (IOException e) {
        deleteQuietly(file);
        throw new UncheckedIOException("cannot stage the input's " + what + " in " + (file == null ? "the temporary folder" : file), e);
      } catch (RuntimeException e) {
        deleteQuietly(file);
        throw e;
      }
    }

    private static void deleteQuietly(Path file) {
      try {
        if (file != null) {
          Files.deleteIfExists(file);
        }
      } catch (IOException ignored) {
        // deleteOnExit still holds it
      }
    }
  }

  /**
   * What the published candidates, judgments and failures hold, tallied in one streaming pass each for the
   * accounting: memory grows with the number of prompts and judges, not with the number of judgments. {@code
   * alsoEachJudgment} sees every published judgment in the same pass (the rationalization metrics' tally), so the
   * file is read once.
   *
   * @param candidates candidates published
   * @param candidatesPerPrompt prompt id to its number of candidates (pairwise judges see k(k-1) ordered pairs each)
   * @param importedJudgments judgments that came with the input rather than from a model call
   * @param llmJudgments judge name to the statuses of its model-made judgments
   * @param failures stage to error class to count
   */
  record Published(
      long candidates,
      Map<String, Integer> candidatesPerPrompt,
      long importedJudgments,
      Map<String, Map<JudgmentStatus, Long>> llmJudgments,
      Map<String, Map<String, Long>> failures) {
    static Published read(RunDirectory dir, Consumer<Judgment> alsoEachJudgment) {
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
          llm.computeIfAbsent(j.judge(), k -> new java.util.EnumMap<>(JudgmentStatus.class)).merge(j.status(), 1L, Long::sum);
        } else {
          imported[0]++;
        }
      });
      Map<String, Map<String, Long>> failures = new HashMap<>();
      dir.forEach("failures", "failures.jsonl", Failure.class, f ->
          failures.computeIfAbsent(f.stage(), k -> new TreeMap<>()).merge(f.errorClass(), 1L, Long::sum));
      return new Published(candidates[0], perPrompt, imported[0], llm, failures);
    }

    /** Failures of {@code stage} by error class; empty when it had none. */
    Map<String, Long> failuresOf(String stage) {
      return failures.getOrDefault(stage, Map.of());
    }

    /** How many records {@code stage} failed. */
    long failedIn(String stage) {
      return failuresOf(stage).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Accounting from what the stages were given (computed from the inputs, independently of the pipeline) and what
   * the published files hold. A mismatch means records were lost or invented.
   */
  static Map<String, StageCount> account(
      Recipe recipe, List<JudgeDefinition> judges, Inputs inputs, Published published, long nCandidates, long keptPrompts) {
    Map<String, StageCount> stages = new LinkedHashMap<>();
    if (recipe.generation() != null) {
      long in = keptPrompts * recipe.generation().k();
      Map<String, Long> reasons = new TreeMap<>(published.failuresOf(GenerateResponses.STAGE));
      long failed = published.failedIn(GenerateResponses.STAGE);
      stages.put(GenerateResponses.STAGE, new StageCount(in, nCandidates, 0, failed, reasons));
    } else {
      stages.put("import.candidates", new StageCount(published.candidates(), published.candidates(), 0, 0, Map.of()));
    }
    if (inputs.judgments().count() > 0) {
      long n = inputs.judgments().count();
      long imported = published.importedJudgments();
      stages.put("import.judgments", new StageCount(n, imported, 0, n - imported, Map.of()));
    }
    for (JudgeDefinition judge : judges) {
      long items =
          judge.kind() == JudgmentKind.ABSOLUTE
              ? published.candidates()
              : published.candidatesPerPrompt().values().stream().mapToLong(k -> (long) k * (k - 1)).sum();
      long in = items * judge.n();
      long ok = 0;
      long rejected = 0;
      long failed = 0;
      Map<String, Long> reasons = new TreeMap<>();
      for (var e : published.llmJudgments().getOrDefault(judge.name(), Map.of()).entrySet()) {
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
      // Calls the budget cap refused have a failure record but no judgment (SampleJudgments).
      long refused = published.failuresOf(SampleJudgments.stage(judge.name())).getOrDefault(BUDGET, 0L);
      if (refused > 0) {
        failed += refused;
        reasons.merge(BUDGET, refused, Long::sum);
      }
      stages.put(SampleJudgments.stage(judge.name()), new StageCount(in, ok, rejected, failed, reasons));
    }
    return stages;
  }

  /**
   * Per-endpoint usage from the Beam counters of every pipeline of the run. Counters are summed by the runner across
   * workers, so the figures hold when the DoFns ran in other JVMs (a Flink cluster) whose clients the driver never
   * sees; the cost is the counted tokens at the endpoint's prices, the formula the clients' budget uses.
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
              e.getValue().cost(prompt, completion),
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

  /**
   * One stage per reward model ({@code reward.<name>}), from the counters each voter keeps: candidates (or pairs) it
   * was given, rewards it produced, those it could not score for want of usable input (rejected) and those whose
   * model calls failed. Every voter has a line, so one that produced nothing is seen, not merely outvoted.
   */
  private static Map<String, StageCount> rewardStages(Recipe recipe, Map<String, Long> counters) {
    Map<String, StageCount> out = new LinkedHashMap<>();
    for (var rm : recipe.rewardModels()) {
      String stage = dev.assay.rewards.RewardModels.stage(rm.name());
      long rejected = counters.getOrDefault(StageMetrics.stageCounter(stage, "rejected"), 0L);
      out.put(
          stage,
          new StageCount(
              counters.getOrDefault(StageMetrics.stageCounter(stage, "in"), 0L),
              counters.getOrDefault(StageMetrics.stageCounter(stage, "out"), 0L),
              rejected,
              counters.getOrDefault(StageMetrics.stageCounter(stage, "failed"), 0L),
              rejected > 0 ? Map.of("no_usable_input", rejected) : Map.of()));
    }
    return out;
  }

  /** The reward models that were given input and produced no reward at all. */
  private static List<String> silentVoters(Recipe recipe, Map<String, StageCount> stages) {
    List<String> out = new ArrayList<>();
    for (var rm : recipe.rewardModels()) {
      StageCount s = stages.get(dev.assay.rewards.RewardModels.stage(rm.name()));
      if (s != null && s.in() > 0 && s.out() == 0) {
        out.add(rm.name());
      }
    }
    return out;
  }

  private static RunManifest manifest(
      String runId,
      String status,
      String startedAt,
      String finishedAt,
      LoadedConfig loaded,
      Options options,
      Inputs inputs,
      Map<String, StageCount> stages,
      Map<String, EndpointUsage> usage,
      JsonNode consistency,
      Double labelSmoothing,
      List<String> notes,
      List<dev.assay.run.GateResult> gates,
      List<PreflightCheck> preflight) {
    Map<String, String> versions = new TreeMap<>();
    versions.put("assay", ASSAY_VERSION);
    versions.put("java", System.getProperty("java.version"));
    versions.put("beam", ReleaseInfo.getReleaseInfo().getVersion());
    versions.put("runner", options.runner().describe());
    versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    JsonNode config = Json.mapper().valueToTree(loaded.config());
    return new RunManifest(
        runId,
        loaded.recipe().name(),
        status,
        startedAt,
        finishedAt,
        options.command(),
        config,
        loaded.configHash(),
        inputs.files(),
        loaded.files().stream().map(f -> FileHash.of(f.path())).toList(),
        templateFiles(loaded),
        loaded.recipe().seed(),
        versions,
        stages,
        usage,
        consistency,
        labelSmoothing,
        notes,
        loaded.recipe().iteration(),
        options.previousIteration() == null ? null : options.previousIteration().toString(),
        gates,
        preflight);
  }

  private static List<FileHash> templateFiles(LoadedConfig loaded) {
    java.util.TreeSet<String> paths = new java.util.TreeSet<>();
    for (JudgeSpec spec : loaded.recipe().judges()) {
      paths.add(loaded.recipeDir().resolve(spec.template()).normalize().toString());
      if (spec.rubric() != null) {
        paths.add(loaded.recipeDir().resolve(spec.rubric()).normalize().toString());
      }
      if (spec.referenceMode().equals("adapted")) {
        String revise = spec.reviseTemplate() == null ? defaultRevise(spec) : spec.reviseTemplate();
        paths.add(loaded.recipeDir().resolve(revise).normalize().toString());
      }
    }
    return paths.stream().map(p -> FileHash.of(Path.of(p))).toList();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
