package dev.assay.bench;

import dev.assay.generation.Candidate;
import dev.assay.io.JsonCoder;
import dev.assay.io.Json;
import dev.assay.grouping.ReadJsonl;
import dev.assay.generation.CandidateCoder;
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
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import dev.assay.io.Failure;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The LLM I/O benchmark: the real {@link SampleJudgments} transform (ledger, prompt rendering, parsing, metrics) on
 * the runner {@code ./assay run} would pick for that many model calls ({@link RunnerChoice#resolve(long, long)}:
 * embedded Flink from {@link RunnerChoice#AUTO_FLINK_FROM_MODEL_CALLS}, or the one {@code --runner} names) against
 * the in-process simulator with a fixed latency L, at each concurrency C, compared with the ideal rate C/L and,
 * optionally, with a Python asyncio + httpx client at the same C and L in the same run. The timed run includes the
 * pipeline's start (a Flink mini-cluster's few seconds), which is why it lasts 30 s at C/L by default.
 *
 * <p>Each measured run uses a fresh ledger (nothing is replayed) and a fresh simulator count; the simulator's served
 * count must equal the request count, or the run fails. Only the pipeline run is timed, after a warm-up run on the
 * same shared endpoint client (so its connection pool is warm). Both client and server share this JVM's machine,
 * so on a small machine the figure is bounded by CPU, not by the protocol.
 */
public final class IoBenchmark {
  /**
   * What to run. {@code requests} null means {@link #defaultRequests}; {@code python} null means no httpx run;
   * {@code pythonRequests} null means {@code requests}, or {@link #defaultPythonRequests} when that is null too; {@code maxRetries} null keeps the endpoint
   * default; {@code runner} {@code AUTO} picks as {@code ./assay run} does for that many calls.
   */
  public record Settings(
      long latencyMs,
      List<Integer> concurrencies,
      Integer requests,
      int warmup,
      Path python,
      Path httpxScript,
      Integer pythonRequests,
      Integer maxRetries,
      RunnerChoice.Kind runner) {
    /** The runner {@code ./assay run} would pick. */
    public Settings(
        long latencyMs, List<Integer> concurrencies, Integer requests, int warmup, Path python, Path httpxScript, Integer pythonRequests, Integer maxRetries) {
      this(latencyMs, concurrencies, requests, warmup, python, httpxScript, pythonRequests, maxRetries, RunnerChoice.Kind.AUTO);
    }

    public Settings {
      if (runner == null) throw new IllegalArgumentException("runner is required (AUTO to pick as ./assay run does)");
      if (maxRetries != null && maxRetries < 0) throw new IllegalArgumentException("max retries must be >= 0: " + maxRetries);
      if (latencyMs <= 0) throw new IllegalArgumentException("latency must be > 0 ms: " + latencyMs);
      if (concurrencies == null || concurrencies.isEmpty()) throw new IllegalArgumentException("no concurrency given");
      for (int c : concurrencies) {
        if (c <= 0) throw new IllegalArgumentException("concurrency must be > 0: " + c);
      }
      if (requests != null && requests <= 0) throw new IllegalArgumentException("requests must be > 0: " + requests);
      if (pythonRequests != null && pythonRequests <= 0) throw new IllegalArgumentException("python requests must be > 0: " + pythonRequests);
      if (warmup < 0) throw new IllegalArgumentException("warm-up must be >= 0: " + warmup);
      concurrencies = List.copyOf(concurrencies);
    }

    /** Requests for one measured run at concurrency {@code c}. */
    public int requestsFor(int c) {
      return requests != null ? requests : defaultRequests(c, latencyMs);
    }

    /** Requests for the httpx run at concurrency {@code c}: as set, else as Assay's when those are set, else {@link #defaultPythonRequests}. */
    public int pythonRequestsFor(int c) {
      return pythonRequests != null ? pythonRequests : requests != null ? requests : defaultPythonRequests(c, latencyMs);
    }

    /** The runner of the measured runs at concurrency {@code c}. */
    public RunnerChoice runnerFor(int c) {
      return new RunnerChoice(runner, null, 0).resolve(0, requestsFor(c));
    }
  }

  /**
   * Thirty seconds at the ideal rate C/L, and at least 20 x C: long enough that the pipeline's start, which the timed
   * run includes, is a small part of it, as it is of a real run.
   */
  public static int defaultRequests(int concurrency, long latencyMs) {
    return atIdealRate(concurrency, latencyMs, 30);
  }

  /** Ten seconds at the ideal rate C/L, and at least 20 x C: httpx is CPU-bound at a tenth of it, so a rate is soon read. */
  public static int defaultPythonRequests(int concurrency, long latencyMs) {
    return atIdealRate(concurrency, latencyMs, 10);
  }

  private static int atIdealRate(int concurrency, long latencyMs, int seconds) {
    long n = Math.round(idealRate(concurrency, latencyMs) * seconds);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(20L * concurrency, n));
  }

  /** C / L in requests per second. */
  public static double idealRate(int concurrency, long latencyMs) {
    return concurrency * 1000.0 / latencyMs;
  }

  /** One measured row; {@code httpxRate} is NaN when no httpx run was made (or it failed). */
  public record Row(
      int concurrency, long latencyMs, int requests, double wallSeconds, double cpuSeconds, long served, double httpxRate, int httpxRequests) {
    /** CPU of this whole JVM (client, runner and simulator) per request, in microseconds. */
    public double cpuMicrosPerRequest() {
      return cpuSeconds * 1e6 / requests;
    }

    public double rate() {
      return requests / wallSeconds;
    }

    public double ideal() {
      return idealRate(concurrency, latencyMs);
    }

    public double ofIdeal() {
      return rate() / ideal();
    }

    public boolean hasHttpx() {
      return !Double.isNaN(httpxRate);
    }
  }

  /** The report: a header and one line per row, fixed columns. */
  public static String format(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%6s %6s %9s %8s %10s %10s %9s %12s %9s %10s %11s%n",
        "C", "L_ms", "requests", "wall_s", "req/s", "ideal/s", "of_ideal", "cpu_us/req", "served", "httpx/s", "assay/httpx"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%6d %6d %9d %8.2f %10.0f %10.0f %9.2f %12.0f %9d %10s %11s%n",
          r.concurrency(), r.latencyMs(), r.requests(), r.wallSeconds(), r.rate(), r.ideal(), r.ofIdeal(),
          r.cpuMicrosPerRequest(), r.served(),
          r.hasHttpx() ? String.format(Locale.ROOT, "%.0f", r.httpxRate()) : "-",
          r.hasHttpx() ? String.format(Locale.ROOT, "%.2f", r.rate() / r.httpxRate()) : "-"));
    }
    return sb.toString();
  }

  /** Parses the httpx script's result line {@code rate=<req/s> requests=<n> ...}; NaN if absent. */
  public static double parseHttpxRate(String output) {
    for (String line : output.split("\n")) {
      for (String field : line.trim().split("\\s+")) {
        if (field.startsWith("rate=")) {
          return Double.parseDouble(field.substring(5));
        }
      }
    }
    return Double.NaN;
  }

  private final Settings settings;
  private final Path home;
  private final PrintStream out;

  public IoBenchmark(Settings settings, Path home, PrintStream out) {
    this.settings = settings;
    this.home = home;
    this.out = out;
  }

  /** Runs every concurrency in turn and returns the rows (also printed as they come). */
  public List<Row> run() throws Exception {
    PromptTemplate template = PromptTemplate.load(home.resolve("configs/templates/absolute.yaml"));
    Rubric rubric = Rubric.load(home.resolve("configs/rubrics/helpfulness.yaml"));
    String latency = "fixed:" + settings.latencyMs();
    // The JDK server closes idle connections above 200 (its default); at C = 256 OkHttp then reuses a closed pooled
    // connection, and the retry hides it at a cost. Read once, when the first HttpServer is made; a user's setting wins.
    if (System.getProperty(MAX_IDLE) == null) {
      System.setProperty(MAX_IDLE, Integer.toString(Math.max(200, 2 * settings.concurrencies().stream().mapToInt(i -> i).max().orElse(0))));
    }
    List<Row> rows = new ArrayList<>();
    try (Simulator sim = Simulator.start(SimulatorConfig.fromOptions(0, null, latency, null, null))) {
      out.println(sim.banner());
      for (int c : settings.concurrencies()) {
        Row row = measure(sim, c, template, rubric);
        rows.add(row);
        out.print(format(List.of(row)));
        out.flush();
      }
    }
    return rows;
  }

  private Row measure(Simulator sim, int c, PromptTemplate template, Rubric rubric) throws Exception {
    String endpoint = "bench-io-c" + c;
    EndpointConfig config =
        new EndpointConfig(sim.baseUrl(), "sim-judge-strict", null, c, null, null, settings.maxRetries(), null, null, null, null, null, null, null, null);
    JudgeDefinition judge =
        new JudgeDefinition("bench", endpoint, "sim-judge-strict", JudgmentKind.ABSOLUTE, 1, 1.0, 256, ReferenceMode.NONE, template, rubric, null);
    int requests = settings.requestsFor(c);
    RunnerChoice runner = settings.runnerFor(c);
    out.println("runner (C=" + c + "): " + runner.describe() + (settings.runner() == RunnerChoice.Kind.AUTO
        ? " (as ./assay run picks it for " + requests + " model calls)" : ""));
    // Held across the warm-up and the measured run, so both use one client with a warm connection pool.
    LlmBackend held = Endpoints.shared(endpoint, config);
    try {
      if (settings.warmup() > 0) {
        warmUp(sim, runner, judge, config, endpoint, c);
      }
      sim.resetLog();
      double[] wallCpu = runOnce(runner, judge, config, endpoint, "run-c" + c, requests);
      double wall = wallCpu[0];
      out.println("counters (C=" + c + "): " + lastCounters);
      if (lastJudgments != requests) {
        out.println("WARNING: " + lastJudgments + " judgments counted for " + requests + " requests");
      }
      long served = sim.servedCount("/v1/chat/completions");
      if (served != requests) {
        throw new IllegalStateException(
            "the simulator served " + served + " chat requests, expected " + requests + "; counters: " + lastCounters);
      }
      double httpx = Double.NaN;
      int pyRequests = settings.pythonRequestsFor(c);
      if (settings.python() != null) {
        sim.resetLog();
        httpx = runHttpx(sim, c, pyRequests);
        if (!Double.isNaN(httpx) && sim.servedCount("/v1/chat/completions") != pyRequests) {
          throw new IllegalStateException("the simulator served " + sim.servedCount("/v1/chat/completions")
              + " httpx requests, expected " + pyRequests);
        }
      }
      return new Row(c, settings.latencyMs(), requests, wall, wallCpu[1], served, httpx, pyRequests);
    } finally {
      held.close();
    }
  }

  /** A warm-up round's JIT compilation time, as a share of its wall time, below which the JVM counts as warm. */
  static final double QUIET_JIT_SHARE = 0.05;

  /** Warm-up rounds at most, whatever the JIT does. */
  static final int MAX_WARMUP_ROUNDS = 12;

  /**
   * Untimed warm-up runs, in rounds of {@code --warmup} requests, until a round's JIT compilation time is at most
   * {@value #QUIET_JIT_SHARE} of its wall time (at most {@value #MAX_WARMUP_ROUNDS} rounds). Why: at C = 256 from a cold
   * JVM the C2 compiler thread, competing with hundreds of runnable client and server threads, stayed busy for some 34
   * s, through a 2,000-request warm-up and most of the timed run (per-thread CPU from /proc), so the figure measured
   * the JIT's catching up (0.56-0.73 of ideal) rather than the steady state a long run works in (0.81-0.89 after a
   * C = 64 run had warmed the JVM). On Flink each round starts a mini-cluster whose code the JIT also compiles, so the
   * cap usually ends the warm-up (12 rounds, 44-54% compile share in the last, BENCHMARKS.md); the figure after it
   * matched the warmed one. Prints the rounds and the last round's compile share.
   */
  private void warmUp(Simulator sim, RunnerChoice runner, JudgeDefinition judge, EndpointConfig config, String endpoint, int c) throws IOException {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    double share = Double.NaN;
    int rounds = 0;
    while (rounds < (timed ? MAX_WARMUP_ROUNDS : 1)) {
      rounds++;
      sim.resetLog();
      long compiled0 = timed ? jit.getTotalCompilationTime() : 0;
      double wall = runOnce(runner, judge, config, endpoint, "warm-c" + c + "-" + rounds, settings.warmup())[0];
      if (!timed) {
        break;
      }
      share = (jit.getTotalCompilationTime() - compiled0) / 1000.0 / wall;
      if (share <= QUIET_JIT_SHARE) {
        break;
      }
    }
    out.println(String.format(Locale.ROOT, "warm-up (C=%d): %d round(s) of %d requests; JIT compiling %s of the last round's wall time",
        c, rounds, settings.warmup(), Double.isNaN(share) ? "(not measurable here)" : String.format(Locale.ROOT, "%.0f%%", 100 * share)));
  }

  /** {wall seconds, JVM CPU seconds} of one pipeline run over {@code n} fresh candidates with a fresh ledger. */
  private static double[] runOnce(RunnerChoice runner, JudgeDefinition judge, EndpointConfig config, String endpoint, String tag, int n)
      throws IOException {
    Path ledger = Files.createTempDirectory("assay-bench-ledger-");
    Path staged = Files.createTempFile("assay-bench-candidates-", ".jsonl");
    try {
      List<Candidate> candidates = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String prompt = tag + "-p" + i;
        candidates.add(new Candidate(Candidate.idFor(prompt, "sim-m1", 0), prompt,
            "Explain briefly why the sky is blue (" + i + ").", null,
            "Rayleigh scattering: shorter wavelengths scatter more in the atmosphere, so blue light reaches the eye from every direction (" + i + ").",
            "sim-m1", 0, "stop", null));
      }
      // Staged as a file and read back as RecipeRunner feeds the transform (ReadJsonl), not with Create.of, whose
      // source the direct runner keeps splitting in half: bundles in shrinking generations, with idle gaps between.
      try (java.io.BufferedWriter w = Files.newBufferedWriter(staged)) {
        for (Candidate c : candidates) {
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
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      PipelineResult result = p.run();
      result.waitUntilFinish();
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (processCpuNanos() - cpu0) / 1e9;
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
      lastCounters = counts.toString();
      lastJudgments = judgments;
      return new double[] {wall, cpu};
    } finally {
      Ledger.release(ledger);
      dev.assay.io.Folders.deleteRecursively(ledger);
      Files.deleteIfExists(staged);
    }
  }

  private static final String MAX_IDLE = "sun.net.httpserver.maxIdleConnections";
  private static final String BENCH_NS = "assay-bench";
  /** The transform's counters from the last run (stage in/out/rejected/failed, endpoint requests, failures by class). */
  static volatile String lastCounters = "";
  /** Judgments the last run emitted (counted downstream of the transform). */
  static volatile long lastJudgments;

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

  /** Runs the httpx client; NaN (with a message) when httpx is missing or the run fails. */
  private double runHttpx(Simulator sim, int c, int n) throws IOException, InterruptedException {
    Path script = settings.httpxScript() != null ? settings.httpxScript() : home.resolve("bench/httpx_client.py");
    List<String> cmd = List.of(settings.python().toString(), script.toString(), "--url", sim.baseUrl(),
        "--requests", Integer.toString(n), "--concurrency", Integer.toString(c), "--model", "sim-judge-strict");
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.append(line).append('\n');
      }
    }
    if (!proc.waitFor(30, TimeUnit.MINUTES)) {
      proc.destroyForcibly();
    }
    int rc = proc.exitValue();
    if (rc == 3) {
      out.println("httpx comparison skipped: " + output.toString().trim());
      return Double.NaN;
    }
    double rate = parseHttpxRate(output.toString());
    if (rc != 0 || Double.isNaN(rate)) {
      out.println("httpx comparison failed (exit " + rc + "): " + output.toString().trim());
      return Double.NaN;
    }
    return rate;
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
  }
}
