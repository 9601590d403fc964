package dev.assay.bench;

import dev.assay.cli.ProjectHome;
import dev.assay.pipeline.RunnerChoice;
import dev.assay.pipeline.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./assay bench}: benchmarks that print figures measured in one run; see BENCHMARKS.md. */
@Command(name = "bench", description = "Benchmarks (figures in BENCHMARKS.md).", subcommands = {BenchCommand.Io.class, BenchCommand.Cpu.class, BenchCommand.Sampling.class, BenchCommand.Calibration.class, BenchCommand.Filters.class, BenchCommand.Crash.class})
public final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("bench: name a benchmark, e.g. `assay bench io`");
  }

  /** {@code ./assay bench io}: the real SampleJudgments transform against the simulator, vs C/L and httpx. */
  @Command(
      name = "io",
      description = "LLM I/O: the real SampleJudgments transform against the in-process SIMULATOR with fixed latency L, "
          + "at each concurrency C: achieved req/s vs the ideal C/L, and optionally vs a Python asyncio + httpx client.")
  public static final class Io implements Callable<Integer> {
    @Option(names = "--latency-ms", description = "fixed simulator latency L in ms (default: ${DEFAULT-VALUE})")
    long latencyMs = 50;

    @Option(names = "--concurrency", split = ",", description = "concurrencies C, comma-separated (default: 64,256)")
    List<Integer> concurrencies = List.of(64, 256);

    @Option(names = "--requests", description = "requests per measured run (default: 30 s at C/L, at least 20 x C)")
    Integer requests;

    @Option(names = "--warmup", description = "requests per untimed warm-up round before each measured run; rounds repeat until the JIT is quiet, at most 12 (default: ${DEFAULT-VALUE})")
    int warmup = 2000;

    @Option(names = "--python", paramLabel = "PYTHON", description = "also run bench/httpx_client.py with this interpreter (e.g. /usr/bin/python3 with Debian's python3-httpx)")
    Path python;

    @Option(names = "--python-requests", description = "requests for the httpx run (default: as --requests when given, else 10 s at C/L, at least 20 x C)")
    Integer pythonRequests;

    @Option(names = "--runner", description = "auto|direct|flink: the runner of the transform (default: auto, as ./assay run picks it for that many model calls)")
    String runner = "auto";

    @Option(names = "--max-retries", description = "the endpoint's max_retries (default: the endpoint default); 0 shows dropped connections as failures")
    Integer maxRetries;

    @Option(names = "--sample-s", description = "seconds between readings of each client process (resident set, threads, descriptors, connections, request rate) during its timed run (default: ${DEFAULT-VALUE})")
    int sampleSeconds = IoBenchmark.DEFAULT_SAMPLE_SECONDS;

    @Override
    public Integer call() throws Exception {
      IoBenchmark.Settings settings = settings();
      if (python != null && !Files.isExecutable(python)) {
        throw new UsageException("--python: not an executable: " + python);
      }
      List<IoBenchmark.Row> rows = new IoBenchmark(settings, ProjectHome.resolve(Path.of(".")), System.out).run();
      System.out.println();
      System.out.print(IoBenchmark.format(rows));
      return 0;
    }

    IoBenchmark.Settings settings() {
      try {
        return new IoBenchmark.Settings(
            latencyMs, concurrencies, requests, warmup, python, null, pythonRequests, maxRetries, RunnerChoice.kind(runner), sampleSeconds);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  /**
   * {@code ./assay bench cpu}: the self-rewarding scoring and curation (ScoreAndCuratePairs) over N synthetic judgments as a plain loop, on the direct
   * runner and on Flink [local], each in a child JVM; exit 1 when a mode fails or publishes different files.
   */
  @Command(
      name = "cpu",
      description = "CPU path: reward models, CREAM consistency, consensus and pairs over N synthetic judgments, as a plain "
          + "Java loop and as the real transforms on the direct runner and Flink [local], each in its own JVM; "
          + "wall time, peak RSS, ratio to the loop, and a cross-check that every mode published the same files.")
  public static final class Cpu implements Callable<Integer> {
    @Option(names = "--judgments", split = ",", description = "input sizes in judgments, comma-separated (default: 100000,1000000)")
    List<Long> judgments = List.of(100_000L, 1_000_000L);

    @Option(names = "--modes", split = ",", description = "loop, direct, flink, comma-separated (default: loop,direct,flink)")
    List<String> modes = CpuBenchmark.MODES;

    @Option(names = "--xmx", description = "heap limit of each child JVM (default: ${DEFAULT-VALUE})")
    String xmx = "2g";

    @Option(names = "--work", description = "folder for the data and outputs, kept and reused (default: a temporary folder, removed)")
    Path work;

    @Option(names = "--seed", description = "seed of the synthetic data (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--timeout", description = "seconds per mode before its JVM is killed (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 1800;

    @Option(names = "--shards", description = "shards of the prompt id for every grouping in the pipeline modes (default 0: the runner's choice, as ./assay run makes it: one per worker on direct, eight per slot and at least 16 on Flink)")
    int shards;

    @Option(names = "--repeat", description = "rounds per size, every mode once per round in order; more than one adds each mode's medians and ratio range (default: ${DEFAULT-VALUE})")
    int repeat = 1;

    @Override
    public Integer call() throws Exception {
      CpuBenchmark.Report report = new CpuBenchmark(settings(), System.out).run();
      System.out.println();
      System.out.print(CpuBenchmark.format(report.rows()));
      String summary = CpuBenchmark.summary(report.rows());
      if (!summary.isEmpty()) {
        System.out.println();
        System.out.print(summary);
      }
      for (String problem : report.problems()) {
        System.err.println("bench cpu: " + problem);
      }
      return report.passed() ? 0 : 1;
    }

    CpuBenchmark.Settings settings() {
      try {
        return new CpuBenchmark.Settings(judgments, modes, xmx, work, seed, timeoutSeconds, shards, repeat);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  /** {@code ./assay bench sampling}: cost per kept pair under fixed n, adaptive sampling and n per request. */
  @Command(
      name = "sampling",
      description = "Judge sampling on the in-process SIMULATOR: the self-rewarding recipe with fixed n = 3, fixed n = 5, "
          + "adaptive sampling and n = 5 in one request: judge samples, requests, tokens, cost, kept pairs and their "
          + "truly-better rate, each with its 95% interval over the seeds.")
  public static final class Sampling implements Callable<Integer> {
    @Option(names = "--prompts", description = "prompts per run, 4 responses each (default: ${DEFAULT-VALUE})")
    int prompts = 2000;

    @Option(names = "--seeds", split = ",", description = "recipe seeds, comma-separated (default: 2222,2323,2424; the rule's settings were tuned on seeds 8-13 and 707-2121)")
    List<Long> seeds = List.of(2222L, 2323L, 2424L);

    @Option(names = "--modes", split = ",", description = "n5, n3, adaptive, n5-per-request, comma-separated (default: all)")
    List<String> modes = SamplingBenchmark.MODES;

    @Option(names = "--adaptive", split = ",", description = "adaptive settings as key=value, comma-separated; a key "
        + "prefixed with a judge's name (self., previous.) sets that judge's alone (default: n_min=2,n_max=5,step=1,"
        + "z=1.0,sd_floor=0.5,z_rank=1.0,z_rank_away=0.5,z_choice=0.5,previous.n_min=1, tuned on seeds 8-13 and "
        + "707-2121; BENCHMARKS.md)")
    List<String> adaptive = List.of("n_min=2", "n_max=5", "step=1", "z=1.0", "sd_floor=0.5", "z_rank=1.0",
        "z_rank_away=0.5", "z_choice=0.5", "previous.n_min=1");

    @Option(names = "--input-price", description = "dollars per million prompt tokens (default: ${DEFAULT-VALUE})")
    double inputPrice = 0.15;

    @Option(names = "--output-price", description = "dollars per million completion tokens (default: ${DEFAULT-VALUE})")
    double outputPrice = 0.60;

    @Option(names = "--work", description = "folder for prompts and runs, kept (default: a temporary folder)")
    Path work;

    @Option(names = "--runner", description = "auto|direct|flink for every run (default: ${DEFAULT-VALUE})")
    String runner = "auto";

    @Override
    public Integer call() throws Exception {
      SamplingBenchmark.Settings settings = settings();
      List<SamplingBenchmark.Row> rows = new SamplingBenchmark(settings, ProjectHome.resolve(Path.of(".")), System.out).run();
      System.out.println();
      System.out.print(SamplingBenchmark.format(rows, settings));
      return 0;
    }

    SamplingBenchmark.Settings settings() throws java.io.IOException {
      java.util.Map<String, String> rule = new java.util.LinkedHashMap<>();
      for (String kv : adaptive) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("--adaptive: expected key=value, got " + kv);
        }
        rule.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
      }
      try {
        return new SamplingBenchmark.Settings(
            prompts, seeds, modes, rule, inputPrice, outputPrice, work == null ? Files.createTempDirectory("assay-bench-sampling") : work, runner);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  /** {@code ./assay bench calibration}: the simulator's default judges beside published figures; exit 1 outside. */
  @Command(
      name = "calibration",
      description = "The simulator's default judges measured on N simulated items beside the published figures about "
          + "real judges they are calibrated to (MT-Bench, FastChat, prometheus-eval, LLMBar), each with its tolerance; "
          + "exit 1 when one lies outside. The table is in SIMULATOR.md.")
  public static final class Calibration implements Callable<Integer> {
    @Option(names = "--items", description = "simulated items (default: ${DEFAULT-VALUE})")
    int items = CalibrationBenchmark.DEFAULT_ITEMS;

    @Option(names = "--seed", description = "item seed (default: ${DEFAULT-VALUE})")
    long seed = CalibrationBenchmark.DEFAULT_SEED;

    @Option(names = "--data", paramLabel = "DIR", description = "the real-data folder (default: ../shared/data beside the project)")
    Path data;

    @Override
    public Integer call() {
      if (items < 1) {
        throw new UsageException("--items must be at least 1: " + items);
      }
      Path shared = data != null ? data : ProjectHome.resolve(Path.of(".")).resolve("..").resolve("shared").resolve("data");
      if (data != null && !Files.isDirectory(data)) {
        throw new UsageException("--data: not a folder: " + data);
      }
      List<CalibrationBenchmark.Row> rows =
          CalibrationBenchmark.measure(CalibrationBenchmark.targets(Files.isDirectory(shared) ? shared : null), items, seed);
      System.out.print(CalibrationBenchmark.format(rows));
      System.out.println();
      System.out.print(CalibrationBenchmark.footer(items, seed, rows));
      return rows.stream().allMatch(r -> r.within(1)) ? 0 : 1;
    }
  }

  /** {@code ./assay bench filters}: each filter's gain in truly-better rate across simulator settings; or the chart alone. */
  @Command(
      name = "filters",
      description = "When filters help: the self-rewarding recipe on the in-process SIMULATOR under settings of judge "
          + "noise, pairwiseShare, implicitShare and drift, several seeds each; each filter's gain in truly-better rate "
          + "over its input and over the unfiltered set with a 95% bootstrap interval, and the pairs it removed, per run "
          + "and pooled over the seeds. Writes filter-gains.csv and filter-gains.svg into --out. The committed sweep "
          + "(the defaults: 800 prompts x 3 seeds x 9 settings) took 9 min 23 s on 2 cores shared with other builds. With "
          + "--chart-only FIGS OUT it only renders the chart of a CSV it wrote, and prints its pooled table.")
  public static final class Filters implements Callable<Integer> {
    @Option(names = "--prompts", description = "prompts per run, 4 responses each (default: ${DEFAULT-VALUE})")
    int prompts = 800;

    @Option(names = "--seeds", split = ",", description = "recipe seeds, comma-separated (default: 1,2,3)")
    List<Long> seeds = List.of(1L, 2L, 3L);

    @Option(names = "--settings", split = ",", description = "simulator settings, comma-separated (default: all: calibrated, judge-noise-x0.5, judge-noise-x2, pairwise-share-0, pairwise-share-1, implicit-share-0, implicit-share-0.5, drift-0.1, drift-0.7)")
    List<String> settings = FilterBenchmark.SETTINGS.stream().map(FilterBenchmark.Setting::name).toList();

    @Option(names = "--work", description = "folder for prompts and runs, kept (default: a temporary folder)")
    Path work;

    @Option(names = "--out", description = "folder for filter-gains.csv and filter-gains.svg (default: the work folder)")
    Path out;

    @Option(names = "--runner", description = "auto|direct|flink for every run (default: ${DEFAULT-VALUE})")
    String runner = "auto";

    @Option(names = "--chart-only", arity = "2", paramLabel = "FILE", description = "FIGS.csv OUT.svg: render the chart of a CSV this command wrote, and run nothing")
    List<Path> chartOnly;

    @Override
    public Integer call() throws Exception {
      if (chartOnly != null) {
        List<FilterBenchmark.Figure> figures = FilterBenchmark.readCsv(chartOnly.get(0));
        Files.writeString(chartOnly.get(1), FilterBenchmark.chart(figures));
        System.out.print(FilterBenchmark.table(figures));
        System.out.println("chart: " + chartOnly.get(1));
        return 0;
      }
      FilterBenchmark.Options options = options();
      List<FilterBenchmark.Figure> figures = new FilterBenchmark(options, ProjectHome.resolve(Path.of(".")), System.out).run();
      Path folder = out == null ? options.work() : out;
      Files.createDirectories(folder);
      Files.writeString(folder.resolve("filter-gains.csv"), FilterBenchmark.csv(figures));
      Files.writeString(folder.resolve("filter-gains.svg"), FilterBenchmark.chart(figures));
      System.out.println();
      System.out.printf(java.util.Locale.ROOT, "%d prompts x %d seeds (%s) per setting; pooled over the seeds%n", prompts, seeds.size(), seeds);
      System.out.print(FilterBenchmark.table(figures));
      System.out.println("figures: " + folder.resolve("filter-gains.csv") + ", chart: " + folder.resolve("filter-gains.svg"));
      return 0;
    }

    FilterBenchmark.Options options() throws java.io.IOException {
      try {
        return new FilterBenchmark.Options(prompts, seeds, settings,
            work == null ? Files.createTempDirectory("assay-bench-filters") : work, runner);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  /** {@code ./assay bench crash}: the crash guarantee at 100,000 calls, 4,096 in flight, faults and three SIGKILLs. */
  @Command(
      name = "crash",
      description = "The crash guarantee at scale on the in-process SIMULATOR: a generate-then-judge run of --calls model calls "
          + "through ./assay run in a child JVM (max_in_flight --in-flight, latency --latency, --faults split between 429, 500, "
          + "timeouts and resets), once uninterrupted, then in a new folder killed with SIGKILL at --kills seeded ledger sizes, "
          + "resumed after each and run to the end: per kill what was in flight and what was sent again; nothing lost, files "
          + "identical to the uninterrupted run's, the accounting balanced; exit 1 if a check fails. Figures in RELIABILITY.md.")
  public static final class Crash implements Callable<Integer> {
    @Option(names = "--calls", description = "model calls at least (default: ${DEFAULT-VALUE})")
    long calls = 100_000;

    @Option(names = "--seed", description = "seed of the kill points, the recipe and the simulator's latency and faults (default: ${DEFAULT-VALUE})")
    long seed = 20261206L;

    @Option(names = "--work", description = "folder for the recipe, both runs and the child logs, kept (default: a temporary folder, removed)")
    Path work;

    @Option(names = "--in-flight", description = "the endpoint's max_in_flight (default: ${DEFAULT-VALUE})")
    int inFlight = 4096;

    @Option(names = "--latency", description = "simulator latency, e.g. uniform:500-3000 or fixed:50 (default: ${DEFAULT-VALUE})")
    String latency = "uniform:500-3000";

    @Option(names = "--faults", description = "share of requests faulted, equal parts 429, 500, timeout, reset (default: ${DEFAULT-VALUE})")
    double faults = 0.10;

    @Option(names = "--kills", description = "SIGKILLs, each followed by a resume (default: ${DEFAULT-VALUE})")
    int kills = 3;

    @Option(names = "--responses", description = "responses per prompt (default: ${DEFAULT-VALUE})")
    int responses = 4;

    @Option(names = "--samples", description = "judge samples per response (default: ${DEFAULT-VALUE})")
    int samples = 3;

    @Option(names = "--read-timeout-ms", description = "the client's read timeout, above the latency's maximum (default: ${DEFAULT-VALUE})")
    long readTimeoutMs = 4000;

    @Option(names = "--timeout-hold-ms", description = "how long the simulator holds a timeout fault, above the read timeout (default: ${DEFAULT-VALUE})")
    long timeoutHoldMs = 5000;

    @Option(names = "--max-retries", description = "the endpoint's max_retries (default: ${DEFAULT-VALUE})")
    int maxRetries = 10;

    @Option(names = "--backoff-ms", description = "the endpoint's initial_backoff_ms; max_backoff_ms is ten times it (default: ${DEFAULT-VALUE})")
    long backoffMs = 200;

    @Option(names = "--xmx", description = "heap limit of each child JVM (default: ${DEFAULT-VALUE})")
    String xmx = "1g";

    @Option(names = "--child-timeout", description = "seconds a child may run before it is killed and reported (default: ${DEFAULT-VALUE})")
    long childTimeoutSeconds = 1800;

    @Override
    public Integer call() throws Exception {
      CrashBenchmark.Settings settings = settings();
      long t0 = System.nanoTime();
      CrashBenchmark.Report report = new CrashBenchmark(settings, ProjectHome.resolve(Path.of(".")), System.out).run();
      System.out.println();
      System.out.print(CrashBenchmark.format(report));
      System.out.printf(java.util.Locale.ROOT, "total wall %.1f s on %d cores, load %.2f at the end%n",
          (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().availableProcessors(), CpuBenchmark.load1());
      return report.passed() ? 0 : 1;
    }

    CrashBenchmark.Settings settings() {
      try {
        return new CrashBenchmark.Settings(calls, seed, work,
            inFlight, latency, faults, kills, responses, samples, readTimeoutMs, timeoutHoldMs, maxRetries, backoffMs, xmx,
            childTimeoutSeconds);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }
}
