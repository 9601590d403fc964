package dev.assay.bench;

import dev.assay.generation.Candidate;
import dev.assay.generation.CandidateCoder;
import dev.assay.grouping.ReadJsonl;
import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Rubric;
import dev.assay.judging.SampleJudgments;
import dev.assay.ledger.Ledger;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.Endpoints;
import dev.assay.llm.LlmBackend;
import dev.assay.llm.SharedEndpoint;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.run.StageMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The client side of {@code assay bench io}, in a JVM of its own so that its memory, threads and sockets are the
 * client's alone (the simulator stays in the parent): warms up, says {@value #READY} on stdout, waits for one line on
 * stdin (the parent resets its counts and starts sampling this process meanwhile), runs the timed pipeline and prints
 * {@value #RESULT} followed by the {@link Outcome} as JSON.
 *
 * <p>Arguments: {@code BASE_URL C REQUESTS WARMUP RUNNER MAX_RETRIES HOME}, with RUNNER {@code direct|flink} and
 * MAX_RETRIES -1 for the endpoint default. Exit status 0 after the result line; non-zero with a stack trace on stderr
 * when the pipeline fails, or 2 for bad arguments.
 */
public final class IoBenchClient {
  /** The line the client prints once warm, before it waits for the parent's go-ahead. */
  static final String READY = "IO-CLIENT READY";

  /** The prefix of the client's result line. */
  static final String RESULT = "IO-CLIENT RESULT ";

  /** A warm-up round's JIT compilation time, as a share of its wall time, below which the JVM counts as warm. */
  static final double QUIET_JIT_SHARE = 0.05;

  /** Warm-up rounds at most, whatever the JIT does. */
  static final int MAX_WARMUP_ROUNDS = 12;

  private static final String BENCH_NS = "assay-bench";

  /**
   * What one timed run measured in the client.
   *
   * @param wallSeconds the pipeline run's wall time (start included)
   * @param cpuSeconds this JVM's CPU time over it, all threads
   * @param judgments judgments emitted, one per request sent
   * @param counters the transform's counters (stage in/out/rejected/failed, endpoint requests, failures by class)
   * @param peakRssMb this JVM's peak resident set (VmHWM) at the end, warm-up included, MiB; -1 unknown
   */
  public record Outcome(double wallSeconds, double cpuSeconds, long judgments, String counters, long peakRssMb) {}

  private IoBenchClient() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 7) {
      System.err.println("usage: IoBenchClient BASE_URL C REQUESTS WARMUP RUNNER MAX_RETRIES HOME");
      System.exit(2);
    }
    String baseUrl = args[0];
    int c = Integer.parseInt(args[1]);
    int requests = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    RunnerChoice runner = new RunnerChoice(RunnerChoice.kind(args[4]), null, 0).resolve(0, requests);
    Integer maxRetries = Integer.parseInt(args[5]) < 0 ? null : Integer.valueOf(args[5]);
    Path home = Path.of(args[6]);

    PromptTemplate template = PromptTemplate.load(home.resolve("configs/templates/absolute.yaml"));
    Rubric rubric = Rubric.load(home.resolve("configs/rubrics/helpfulness.yaml"));
    String endpoint = "bench-io-c" + c;
    EndpointConfig config =
        new EndpointConfig(baseUrl, "sim-judge-strict", null, c, null, null, maxRetries, null, null, null, null, null, null, null, null);
    JudgeDefinition judge =
        new JudgeDefinition("bench", endpoint, "sim-judge-strict", JudgmentKind.ABSOLUTE, 1, 1.0, 256, ReferenceMode.NONE, template, rubric, null);
    // Held across the warm-up and the measured run, so both use one client with a warm connection pool.
    LlmBackend held = Endpoints.shared(endpoint, config);
    try {
      if (warmup > 0) {
        warmUp(runner, judge, config, endpoint, c, warmup);
      }
      System.out.println(READY);
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      Outcome outcome = runOnce(runner, judge, config, endpoint, "run-c" + c, requests);
      System.out.println(RESULT + Json.line(new Outcome(outcome.wallSeconds(), outcome.cpuSeconds(), outcome.judgments(),
          outcome.counters(), RunOutcome.currentPeakRssMb())));
      System.out.flush();
    } finally {
      held.close();
    }
    // Flink's and Beam's non-daemon threads may outlive the pipeline; the result is printed, so end here.
    System.exit(0);
  }

  /**
   * Untimed warm-up runs, in rounds of {@code warmup} requests, until a round's JIT compilation time is at most
   * {@value #QUIET_JIT_SHARE} of its wall time (at most {@value #MAX_WARMUP_ROUNDS} rounds). Why: at C = 256 from a cold
   * JVM the C2 compiler thread, competing with hundreds of runnable client and server threads, stayed busy for some 34
   * s, through a 2,000-request warm-up and most of the timed run (per-thread CPU from /proc), so the figure measured
   * the JIT's catching up (0.56-0.73 of ideal) rather than the steady state a long run works in (0.81-0.89 after a
   * C = 64 run had warmed the JVM). On Flink each round starts a mini-cluster whose code the JIT also compiles, so the
   * cap usually ends the warm-up (12 rounds, 44-54% compile share in the last, BENCHMARKS.md); the figure after it
   * matched the warmed one. Prints the rounds and the last round's compile share.
   */
  private static void warmUp(RunnerChoice runner, JudgeDefinition judge, EndpointConfig config, String endpoint, int c, int warmup)
      throws IOException {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    double share = Double.NaN;
    int rounds = 0;
    while (rounds < (timed ? MAX_WARMUP_ROUNDS : 1)) {
      rounds++;
      long compiled0 = timed ? jit.getTotalCompilationTime() : 0;
      double wall = runOnce(runner, judge, config, endpoint, "warm-c" + c + "-" + rounds, warmup).wallSeconds();
      if (!timed) {
        break;
      }
      share = (jit.getTotalCompilationTime() - compiled0) / 1000.0 / wall;
      if (share <= QUIET_JIT_SHARE) {
        break;
      }
    }
    System.out.println(String.format(Locale.ROOT, "warm-up (C=%d): %d round(s) of %d requests; JIT compiling %s of the last round's wall time",
        c, rounds, warmup, Double.isNaN(share) ? "(not measurable here)" : String.format(Locale.ROOT, "%.0f%%", 100 * share)));
  }

  /** One pipeline run over {@code n} fresh candidates with a fresh ledger. */
  private static Outcome runOnce(RunnerChoice runner, JudgeDefinition judge, EndpointConfig config, String endpoint, String tag, int n)
      throws IOException {
    Path ledger = Files.createTempDirectory("assay-bench-ledger-");
    Path staged = Files.createTempFile("assay-bench-candidates-", ".jsonl");
    try {
      // Staged as a file and read back as RecipeRunner feeds the transform (ReadJsonl), not with Create.of, whose
      // source the direct runner keeps splitting in half: bundles in shrinking generations, with idle gaps between.
      // Written one at a time: a list of a 10-minute run's million candidates would stay on the heap being measured.
      try (java.io.BufferedWriter w = Files.newBufferedWriter(staged)) {
        for (int i = 0; i < n; i++) {
          String prompt = tag + "-p" + i;
          Candidate c = new Candidate(Candidate.idFor(prompt, "sim-m1", 0), prompt,
              "Explain briefly why the sky is blue (" + i + ").", null,
              "Rayleigh scattering: shorter wavelengths scatter more in the atmosphere, so blue light reaches the eye from every direction (" + i + ").",
              "sim-m1", 0, "stop", null);
          w.write(Json.line(c));
          w.write('\n');
        }
      }
      Pipeline p = Pipeline.create(runner.options());
      PCollectionTuple judged =
          p.apply(ReadJsonl.of(Candidate.class, staged.toString()).withCoder(CandidateCoder.of()))
              .apply(SampleJudgments.by(judge, 7, ledger, new SharedEndpoint(endpoint, config)));
      judged.get(SampleJudgments.FAILURES).apply("CountFailures", ParDo.of(new CountFailures()));
      judged.get(SampleJudgments.JUDGMENTS).apply("CountJudgments", ParDo.of(new CountJudgments()));
      double cpu0 = RunOutcome.processCpuSeconds();
      long t0 = System.nanoTime();
      PipelineResult result = p.run();
      result.waitUntilFinish();
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = RunOutcome.processCpuSeconds() - cpu0;
      MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder().build());
      StringBuilder counts = new StringBuilder();
      long judgments = 0;
      for (MetricResult<Long> c : m.getCounters()) {
        String name = c.getName().getNamespace() + ":" + c.getName().getName();
        if (c.getName().getNamespace().equals(BENCH_NS) && c.getName().getName().startsWith("judgments.")) {
          judgments += StageMetrics.value(c);
        }
        if (name.contains("judge.bench") || name.contains(endpoint) || name.startsWith(BENCH_NS)) {
          counts.append(counts.length() == 0 ? "" : ", ").append(c.getName().getName()).append('=').append(StageMetrics.value(c));
        }
      }
      return new Outcome(wall, cpu, judgments, counts.toString(), -1);
    } finally {
      Ledger.release(ledger);
      dev.assay.io.Folders.deleteRecursively(ledger);
      Files.deleteIfExists(staged);
    }
  }

  /** Counts the transform's failures by error class, so a short served count can be explained. */
  static final class CountFailures extends DoFn<Failure, Void> {
    @ProcessElement
    public void process(@Element Failure f) {
      Metrics.counter(BENCH_NS, "failure." + f.errorClass()).inc();
    }
  }

  /** Counts the judgments by status: one per request sent, whatever the stage counters say. */
  static final class CountJudgments extends DoFn<Judgment, Void> {
    @ProcessElement
    public void process(@Element Judgment j) {
      Metrics.counter(BENCH_NS, "judgments." + j.status()).inc();
    }
  }
}
