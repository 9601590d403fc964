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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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
 * the simulator with a fixed latency L, at each concurrency C, compared with the ideal rate C/L and, optionally, with
 * a Python asyncio + httpx client at the same C and L in the same run. The timed run includes the pipeline's start (a
 * Flink mini-cluster's few seconds), which is why it lasts 30 s at C/L by default.
 *
 * <p>The client runs in a JVM of its own ({@link IoBenchClient}, started as {@code ./assay} starts one, with
 * {@code ASSAY_JAVA_OPTS}), the simulator in this one, so that what the client holds is measured alone: every
 * {@code sampleSeconds} of its timed run this JVM reads the client's resident set, threads, descriptors and
 * established connections ({@link ProcessSample}) and the simulator's served count, and prints the timeline with the
 * rate per interval and per whole minute; the httpx process is read the same way. Each measured run uses a fresh
 * ledger (nothing is replayed) and a fresh simulator count; the simulator's served count must equal the request count,
 * or the run fails. Only the pipeline run is timed, after warm-up runs on the same shared endpoint client (so its
 * connection pool is warm). Client and server share the machine, so on a small machine the figure is bounded by CPU,
 * not by the protocol.
 *
 * <p>Failure modes: {@link IllegalStateException} when the client's JVM ends without a result or the served count is
 * off; an httpx run that fails or lacks httpx is reported and left out of the row.
 */
public final class IoBenchmark {
  /** Seconds between two readings of a client process. */
  public static final int DEFAULT_SAMPLE_SECONDS = 10;

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
      RunnerChoice.Kind runner,
      int sampleSeconds) {
    /** Sampling every {@value #DEFAULT_SAMPLE_SECONDS} s. */
    public Settings(
        long latencyMs, List<Integer> concurrencies, Integer requests, int warmup, Path python, Path httpxScript, Integer pythonRequests, Integer maxRetries,
        RunnerChoice.Kind runner) {
      this(latencyMs, concurrencies, requests, warmup, python, httpxScript, pythonRequests, maxRetries, runner, DEFAULT_SAMPLE_SECONDS);
    }

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
      if (sampleSeconds <= 0) throw new IllegalArgumentException("sampling interval must be > 0 s: " + sampleSeconds);
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

  /**
   * One measured row; {@code httpxRate} is NaN when no httpx run was made (or it failed), {@code httpxPeakRssMb} -1;
   * {@code client} is what Assay's client process held during its timed run: the peaks over its readings, its peak
   * resident set the JVM's own VmHWM (warm-up included); -1 where not measured.
   */
  public record Row(
      int concurrency, long latencyMs, int requests, double wallSeconds, double cpuSeconds, long served, double httpxRate, int httpxRequests,
      ProcessSample client, long httpxPeakRssMb) {
    /** A row without resource figures. */
    public Row(int concurrency, long latencyMs, int requests, double wallSeconds, double cpuSeconds, long served, double httpxRate, int httpxRequests) {
      this(concurrency, latencyMs, requests, wallSeconds, cpuSeconds, served, httpxRate, httpxRequests, ProcessSample.NONE, -1);
    }

    /** CPU of the client's JVM (client and runner; the simulator runs in another) per request, in microseconds. */
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
    sb.append(String.format(Locale.ROOT, "%6s %6s %9s %8s %10s %10s %9s %12s %9s %8s %8s %6s %10s %11s %9s%n",
        "C", "L_ms", "requests", "wall_s", "req/s", "ideal/s", "of_ideal", "cpu_us/req", "served", "rss_mb", "threads", "tcp",
        "httpx/s", "assay/httpx", "httpx_mb"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%6d %6d %9d %8.2f %10.0f %10.0f %9.2f %12.0f %9d %8s %8s %6s %10s %11s %9s%n",
          r.concurrency(), r.latencyMs(), r.requests(), r.wallSeconds(), r.rate(), r.ideal(), r.ofIdeal(),
          r.cpuMicrosPerRequest(), r.served(), known(r.client().peakRssMb()), known(r.client().threads()), known(r.client().established()),
          r.hasHttpx() ? String.format(Locale.ROOT, "%.0f", r.httpxRate()) : "-",
          r.hasHttpx() ? String.format(Locale.ROOT, "%.2f", r.rate() / r.httpxRate()) : "-",
          known(r.httpxPeakRssMb())));
    }
    return sb.toString();
  }

  private static String known(long value) {
    return value < 0 ? "-" : Long.toString(value);
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
        Row row = measure(sim, c);
        rows.add(row);
        out.print(format(List.of(row)));
        out.flush();
      }
    }
    return rows;
  }

  private Row measure(Simulator sim, int c) throws Exception {
    int requests = settings.requestsFor(c);
    RunnerChoice runner = settings.runnerFor(c);
    out.println("runner (C=" + c + "): " + runner.describe() + (settings.runner() == RunnerChoice.Kind.AUTO
        ? " (as ./assay run picks it for " + requests + " model calls)" : ""));
    ClientRun client = runClient(sim, c, requests, runner);
    IoBenchClient.Outcome o = client.outcome();
    out.println("counters (C=" + c + "): " + o.counters());
    if (o.judgments() != requests) {
      out.println("WARNING: " + o.judgments() + " judgments counted for " + requests + " requests");
    }
    long served = sim.servedCount(CHAT);
    if (served != requests) {
      throw new IllegalStateException(
          "the simulator served " + served + " chat requests, expected " + requests + "; counters: " + o.counters());
    }
    printTimeline("assay client (C=" + c + ")", client.samples(), idealRate(c, settings.latencyMs()));
    double httpx = Double.NaN;
    long httpxRss = -1;
    int pyRequests = settings.pythonRequestsFor(c);
    if (settings.python() != null) {
      sim.resetLog();
      HttpxRun py = runHttpx(sim, c, pyRequests);
      httpx = py.rate();
      httpxRss = py.peakRssMb();
      if (!Double.isNaN(httpx) && sim.servedCount(CHAT) != pyRequests) {
        throw new IllegalStateException("the simulator served " + sim.servedCount(CHAT)
            + " httpx requests, expected " + pyRequests);
      }
      if (!Double.isNaN(httpx)) {
        printTimeline("httpx client (C=" + c + ")", py.samples(), idealRate(c, settings.latencyMs()));
      }
    }
    // The client's own VmHWM at its end covers the last moments no reading saw.
    ProcessSample peak = peaks(client.samples()).max(new ProcessSample(-1, client.outcome().peakRssMb(), -1, -1, -1));
    return new Row(c, settings.latencyMs(), requests, o.wallSeconds(), o.cpuSeconds(), served, httpx, pyRequests, peak, httpxRss);
  }

  /** The client's JVM, its outcome and what was sampled of it during the timed run. */
  private record ClientRun(IoBenchClient.Outcome outcome, List<Sample> samples) {}

  /**
   * Runs the client in a JVM of its own, started as {@code ./assay} starts one (the launcher's collector and class-data
   * archive, and {@code ASSAY_JAVA_OPTS}), so that its resident set, threads and sockets are the client's alone.
   * The simulator's count is reset and sampling starts when the client says it is warm.
   */
  private ClientRun runClient(Simulator sim, int c, int requests, RunnerChoice runner) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(CpuBenchmark.launcherOptions());
    String opts = System.getenv("ASSAY_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      cmd.addAll(List.of(opts.strip().split("\\s+")));
    }
    cmd.addAll(List.of("-Dassay.home=" + home, "-cp", System.getProperty("java.class.path"), IoBenchClient.class.getName(),
        sim.baseUrl(), Integer.toString(c), Integer.toString(requests), Integer.toString(settings.warmup()),
        runner.kind().name().toLowerCase(Locale.ROOT), Integer.toString(settings.maxRetries() == null ? -1 : settings.maxRetries()),
        home.toString()));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Sampler sampler = null;
    IoBenchClient.Outcome outcome = null;
    StringBuilder tail = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        java.io.Writer go = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.equals(IoBenchClient.READY)) {
          sim.resetLog();
          sampler = Sampler.start(child.pid(), () -> sim.servedCount(CHAT), settings.sampleSeconds());
          go.write("go\n");
          go.flush();
        } else if (line.startsWith(IoBenchClient.RESULT)) {
          outcome = Json.parse(line.substring(IoBenchClient.RESULT.length()), IoBenchClient.Outcome.class);
        } else {
          out.println(line);
          tail.append(line).append('\n');
        }
      }
    } finally {
      if (sampler != null) {
        sampler.stop();
      }
    }
    int rc = child.waitFor();
    if (outcome == null || rc != 0) {
      throw new IllegalStateException("the bench client (C=" + c + ") ended with exit " + rc + " and no result");
    }
    return new ClientRun(outcome, sampler == null ? List.of() : sampler.samples());
  }

  /** Prints a sampled process's timeline: resident set, threads, descriptors, connections and the request rate. */
  private void printTimeline(String who, List<Sample> samples, double ideal) {
    if (samples.isEmpty()) {
      return;
    }
    out.println(who + ", sampled every " + settings.sampleSeconds() + " s (rate: requests the simulator served in the interval):");
    out.println(String.format(Locale.ROOT, "  %7s %8s %8s %7s %7s %9s %9s", "t_s", "rss_mb", "threads", "fds", "tcp", "req/s", "of_ideal"));
    Sample prev = null;
    for (Sample s : samples) {
      double rate = prev == null ? s.served() / s.seconds() : (s.served() - prev.served()) / (s.seconds() - prev.seconds());
      out.println(String.format(Locale.ROOT, "  %7.0f %8d %8d %7d %7d %9.0f %9.2f",
          s.seconds(), s.process().rssMb(), s.process().threads(), s.process().fds(), s.process().established(), rate, rate / ideal));
      prev = s;
    }
    List<Double> minutes = perMinuteRates(samples);
    if (minutes.size() > 1) {
      StringBuilder sb = new StringBuilder("  per minute, of ideal:");
      for (int i = 0; i < minutes.size(); i++) {
        sb.append(String.format(Locale.ROOT, " m%d %.2f", i + 1, minutes.get(i) / ideal));
      }
      out.println(sb);
    }
  }

  /**
   * The request rate in each whole minute of the samples: minute k ends at the first sample at or after 60k s (less a
   * second of the timer's jitter), so minutes do not drift by a sample each; a minute without such a sample ends the list.
   */
  static List<Double> perMinuteRates(List<Sample> samples) {
    List<Double> rates = new ArrayList<>();
    double startS = 0;
    long startServed = 0;
    int minute = 1;
    for (Sample s : samples) {
      if (s.seconds() >= 60.0 * minute - 1.0) {
        rates.add((s.served() - startServed) / (s.seconds() - startS));
        startS = s.seconds();
        startServed = s.served();
        minute++;
      }
    }
    return rates;
  }

  /** The httpx client's rate (NaN when skipped or failed), its peak resident set (-1 unknown) and its samples. */
  private record HttpxRun(double rate, long peakRssMb, List<Sample> samples) {}

  /** Runs the httpx client, sampled like Assay's; rate NaN (with a message) when httpx is missing or the run fails. */
  private HttpxRun runHttpx(Simulator sim, int c, int n) throws IOException, InterruptedException {
    Path script = settings.httpxScript() != null ? settings.httpxScript() : home.resolve("bench/httpx_client.py");
    List<String> cmd = List.of(settings.python().toString(), script.toString(), "--url", sim.baseUrl(),
        "--requests", Integer.toString(n), "--concurrency", Integer.toString(c), "--model", "sim-judge-strict");
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Sampler sampler = Sampler.start(proc.pid(), () -> sim.servedCount(CHAT), settings.sampleSeconds());
    StringBuilder output = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.append(line).append('\n');
      }
    } finally {
      sampler.stop();
    }
    if (!proc.waitFor(30, TimeUnit.MINUTES)) {
      proc.destroyForcibly();
    }
    int rc = proc.exitValue();
    List<Sample> samples = sampler.samples();
    long peak = peaks(samples).peakRssMb();
    if (rc == 3) {
      out.println("httpx comparison skipped: " + output.toString().trim());
      return new HttpxRun(Double.NaN, -1, List.of());
    }
    double rate = parseHttpxRate(output.toString());
    if (rc != 0 || Double.isNaN(rate)) {
      out.println("httpx comparison failed (exit " + rc + "): " + output.toString().trim());
      return new HttpxRun(Double.NaN, -1, List.of());
    }
    return new HttpxRun(rate, peak, samples);
  }

  /**
   * One reading during a timed run.
   *
   * @param seconds since sampling started (the client's go-ahead)
   * @param process the client process's resources
   * @param served requests the simulator had served since then
   */
  record Sample(double seconds, ProcessSample process, long served) {}

  /** Reads a process every few seconds on a daemon thread until stopped. */
  static final class Sampler {
    private final ScheduledExecutorService timer;
    private final List<Sample> samples = new ArrayList<>();

    private Sampler(ScheduledExecutorService timer) {
      this.timer = timer;
    }

    static Sampler start(long pid, LongSupplier served, int everySeconds) {
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "assay-bench-sampler");
        t.setDaemon(true);
        return t;
      });
      Sampler s = new Sampler(timer);
      long t0 = System.nanoTime();
      timer.scheduleAtFixedRate(() -> {
        ProcessSample p = ProcessSample.of(pid);
        if (p.rssMb() >= 0) {
          s.add(new Sample((System.nanoTime() - t0) / 1e9, p, served.getAsLong()));
        }
      }, everySeconds, everySeconds, TimeUnit.SECONDS);
      return s;
    }

    private synchronized void add(Sample sample) {
      samples.add(sample);
    }

    synchronized List<Sample> samples() {
      return List.copyOf(samples);
    }

    void stop() throws InterruptedException {
      timer.shutdownNow();
      timer.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** The peaks of a process over its readings ({@link ProcessSample#peaks}). */
  static ProcessSample peaks(List<Sample> samples) {
    return ProcessSample.peaks(samples.stream().map(Sample::process).toList());
  }

  private static final String MAX_IDLE = "sun.net.httpserver.maxIdleConnections";
  private static final String CHAT = "/v1/chat/completions";
}
