package dev.assay.bench;

import dev.assay.io.Json;
import dev.assay.rewards.Descriptive;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The CPU-path benchmark ({@code assay bench cpu}): the self-rewarding scoring and curation (ScoreAndCuratePairs) (reward models, CREAM consistency,
 * consensus, pairs) over N synthetic judgments, once per mode, each mode in a child JVM of its own with the same
 * heap limit: {@code loop} (a plain single-threaded Java loop, {@link LoopRun}), {@code direct} and {@code flink}
 * (the real transforms on the direct runner and on Flink {@code [local]}, {@link PipelineRun}).
 *
 * <p>Columns: {@code wall_s} and {@code cpu_s} (the child JVM's CPU time, all threads) over the work (reading the
 * inputs to the last published file), {@code proc_s} the child process's whole life (JVM start included), {@code
 * x_loop} and {@code cpu_x} the wall and CPU ratios to the loop at the same size, {@code load1} the load average when
 * the child started.
 *
 * <p>The input ({@link SyntheticJudgments}) is written once per N into the work folder and reused by every mode (and
 * by later runs with the same work folder). Every mode publishes the same files; their SHA-256 hashes must equal the
 * reference mode's (the loop when it runs, else the first mode that finished), or the report lists the difference
 * and the command fails: that is what makes the comparison fair. Peak RSS is the child's VmHWM, read in the child at
 * its end. Timing is wall clock, so on a shared machine read ratios from one run, and the load average beside them.
 *
 * <p>Failure modes: a child that runs out of heap ends with status {@code oom} (it runs with {@code
 * -XX:+ExitOnOutOfMemoryError}), one that exceeds the timeout is killed ({@code timeout}), any other non-zero exit is
 * {@code failed}; the rest of the modes still run. {@link UncheckedIOException} when the work folder cannot be
 * written.
 */
public final class CpuBenchmark {
  /** The modes, in the order they run by default. */
  public static final List<String> MODES = List.of("loop", "direct", "flink");

  /**
   * What to run.
   *
   * @param judgments input sizes (judgments), each rounded up to whole prompts
   * @param modes a subset of {@link #MODES}
   * @param xmx the child JVMs' {@code -Xmx}, e.g. {@code 2g}
   * @param work the folder for inputs and outputs; null means a fresh temporary folder, removed at the end
   * @param seed the data's seed
   * @param timeoutSeconds the limit per child
   * @param shards the shards of the prompt id every grouping of the pipeline modes uses; 0 for the runner's choice
   *     ({@link dev.assay.pipeline.RunnerChoice#shards}), as {@code ./assay run} makes it
   * @param repeat rounds per size: every mode runs once per round, in order, so that each round's ratios compare runs
   *     made one after the other (this machine's speed drifts between commands); with more than one the report ends
   *     with each mode's medians
   */
  public record Settings(List<Long> judgments, List<String> modes, String xmx, Path work, long seed, long timeoutSeconds, int shards, int repeat) {
    /** One round per size. */
    public Settings(List<Long> judgments, List<String> modes, String xmx, Path work, long seed, long timeoutSeconds, int shards) {
      this(judgments, modes, xmx, work, seed, timeoutSeconds, shards, 1);
    }

    public Settings {
      if (repeat < 1) {
        throw new IllegalArgumentException("--repeat must be 1 or more: " + repeat);
      }
      if (shards < 0) {
        throw new IllegalArgumentException("shards must be 0 (the runner's choice) or more: " + shards);
      }
      if (judgments == null || judgments.isEmpty()) {
        throw new IllegalArgumentException("no --judgments given");
      }
      for (long n : judgments) {
        if (n < 1) {
          throw new IllegalArgumentException("judgments must be > 0: " + n);
        }
      }
      if (modes == null || modes.isEmpty()) {
        throw new IllegalArgumentException("no --modes given");
      }
      for (String m : modes) {
        if (!MODES.contains(m)) {
          throw new IllegalArgumentException("unknown mode " + m + "; modes are " + String.join(", ", MODES));
        }
      }
      if (xmx == null || !xmx.matches("[0-9]+[kKmMgG]?")) {
        throw new IllegalArgumentException("--xmx must look like 2g or 512m: " + xmx);
      }
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException("timeout must be > 0 s: " + timeoutSeconds);
      }
      judgments = List.copyOf(judgments);
      modes = List.copyOf(modes);
    }
  }

  /**
   * One mode at one size in one round.
   *
   * @param round the round, from 1 ({@link Settings#repeat})
   * @param status {@code ok}, {@code oom}, {@code timeout} or {@code failed rc=N}
   * @param check {@code ref} for the reference mode, {@code same} when every published file equals the reference's,
   *     {@code DIFF} when one differs, {@code -} when there is nothing to compare
   * @param load1 the one-minute load average just before the child started
   * @param outcome what the child reported; null unless status is ok
   */
  public record Row(String mode, long judgments, int round, double procSeconds, double load1, String status, String check, RunOutcome outcome) {
    public boolean ok() {
      return "ok".equals(status);
    }

    public double wallSeconds() {
      return ok() ? outcome.wallSeconds() : Double.NaN;
    }

    public double cpuSeconds() {
      return ok() ? outcome.cpuSeconds() : Double.NaN;
    }

    public long peakRssMb() {
      return ok() ? outcome.peakRssMb() : -1;
    }
  }

  /** The rows, and the differences found by the cross-check (empty when every mode agreed). */
  public record Report(List<Row> rows, List<String> problems) {
    public Report {
      rows = List.copyOf(rows);
      problems = List.copyOf(problems);
    }

    /** Whether every mode finished and published the same files as the reference. */
    public boolean passed() {
      return problems.isEmpty() && rows.stream().allMatch(Row::ok);
    }
  }

  private final Settings settings;
  private final PrintStream out;

  public CpuBenchmark(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs every size and mode; prints progress and each row as it comes. */
  public Report run() throws IOException, InterruptedException {
    Path work = settings.work() != null ? settings.work() : Files.createTempDirectory("assay-bench-cpu-");
    List<Row> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> launcher = launcherOptions();
    out.println("jvm: every mode runs with -Xmx" + settings.xmx() + (launcher.isEmpty()
        ? ", the JVM's default collector and no class-data archive (run through ./assay for the launcher's)"
        : " and the launcher's options: " + String.join(" ", launcher)));
    try {
      for (long n : settings.judgments()) {
        SyntheticJudgments shape = SyntheticJudgments.ofAtLeast(n, settings.seed());
        Path data = ensureData(work, shape);
        for (int round = 1; round <= settings.repeat(); round++) {
          List<Row> sized = new ArrayList<>();
          for (String mode : settings.modes()) {
            Row row = runChild(work, data, shape, mode, round);
            sized.add(row);
            out.println("  " + mode + " " + shape.judgments() + (settings.repeat() > 1 ? " round " + round : "") + ": " + row.status()
                + (row.ok() ? String.format(Locale.ROOT, " %.2f s wall, %.2f s CPU, %d MB", row.wallSeconds(), row.cpuSeconds(), row.peakRssMb()) : ""));
          }
          rows.addAll(crossCheck(sized, problems));
        }
      }
    } finally {
      if (settings.work() == null) {
        dev.assay.io.Folders.deleteRecursively(work);
      }
    }
    return new Report(rows, problems);
  }

  /** Marks each row against the reference (the loop if it finished, else the first finished mode). */
  static List<Row> crossCheck(List<Row> rows, List<String> problems) {
    Row ref = rows.stream().filter(r -> r.ok() && r.mode().equals("loop")).findFirst()
        .orElse(rows.stream().filter(Row::ok).findFirst().orElse(null));
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      String check = "-";
      if (r == ref) {
        check = "ref";
      } else if (ref != null && r.ok()) {
        List<String> diff = new ArrayList<>();
        for (Map.Entry<String, String> e : ref.outcome().hashes().entrySet()) {
          if (!e.getValue().equals(r.outcome().hashes().get(e.getKey()))) {
            diff.add(e.getKey() + " (" + r.outcome().count(e.getKey()) + " lines vs " + ref.outcome().count(e.getKey()) + ")");
          }
        }
        check = diff.isEmpty() ? "same" : "DIFF";
        if (!diff.isEmpty()) {
          problems.add(r.mode() + " at " + r.judgments() + " judgments (round " + r.round() + ") differs from " + ref.mode() + " in " + String.join(", ", diff)
              + "; C " + r.outcome().consistency() + " vs " + ref.outcome().consistency());
        }
      }
      if (!r.ok()) {
        problems.add(r.mode() + " at " + r.judgments() + " judgments (round " + r.round() + "): " + r.status());
      }
      out.add(new Row(r.mode(), r.judgments(), r.round(), r.procSeconds(), r.load1(), r.status(), check, r.outcome()));
    }
    return out;
  }

  /**
   * The table: one line per mode, size and round, with the ratios of wall and CPU time to the loop's at the same size
   * in the same round; a {@code round} column when there was more than one.
   */
  public static String format(List<Row> rows) {
    boolean rounds = rows.stream().anyMatch(r -> r.round() > 1);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-7s %10s " + (rounds ? "%5s " : "%s") + "%9s %9s %9s %12s %8s %8s %6s %6s %8s %8s %8s %s%n",
        "mode", "judgments", rounds ? "round" : "", "wall_s", "cpu_s", "proc_s", "peak_rss_mb", "x_loop", "cpu_x", "load1", "check", "pairs", "rej_prs", "C", "status"));
    for (Row r : rows) {
      Row base = loopOf(rows, r);
      RunOutcome o = r.outcome();
      sb.append(String.format(Locale.ROOT, "%-7s %10d " + (rounds ? "%5s " : "%s") + "%9s %9s %9.2f %12s %8s %8s %6.2f %6s %8s %8s %8s %s%n",
          r.mode(), r.judgments(), rounds ? Integer.toString(r.round()) : "",
          r.ok() ? String.format(Locale.ROOT, "%.2f", r.wallSeconds()) : "-",
          r.ok() ? String.format(Locale.ROOT, "%.2f", r.cpuSeconds()) : "-",
          r.procSeconds(),
          r.ok() ? Long.toString(r.peakRssMb()) : "-",
          r.ok() && base != null ? String.format(Locale.ROOT, "%.2f", r.wallSeconds() / base.wallSeconds()) : "-",
          r.ok() && base != null ? String.format(Locale.ROOT, "%.2f", r.cpuSeconds() / base.cpuSeconds()) : "-",
          r.load1(), r.check(),
          o == null ? "-" : Long.toString(o.count("pairs/pairs.jsonl")),
          o == null ? "-" : Long.toString(o.count("rejected/pairs.jsonl")),
          o == null || o.consistency() == null ? "-" : String.format(Locale.ROOT, "%.4f", o.consistency()),
          r.status()));
    }
    return sb.toString();
  }

  /** The loop's finished row at {@code r}'s size and round, or null. */
  private static Row loopOf(List<Row> rows, Row r) {
    for (Row x : rows) {
      if (x.mode().equals("loop") && x.ok() && x.judgments() == r.judgments() && x.round() == r.round()) {
        return x;
      }
    }
    return null;
  }

  /**
   * Per size and mode over the rounds: the medians of wall time, CPU time and the ratio of wall time to the same
   * round's loop, the ratio's range, and the highest peak RSS; rounds that did not finish are left out and counted.
   * Empty when every size ran one round.
   */
  public static String summary(List<Row> rows) {
    Map<Long, Map<String, List<Row>>> bySize = new TreeMap<>();
    for (Row r : rows) {
      bySize.computeIfAbsent(r.judgments(), n -> new java.util.LinkedHashMap<>()).computeIfAbsent(r.mode(), m -> new ArrayList<>()).add(r);
    }
    if (bySize.values().stream().flatMap(m -> m.values().stream()).allMatch(l -> l.size() < 2)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-7s %10s %6s %9s %9s %8s %13s %12s%n",
        "median", "judgments", "rounds", "wall_s", "cpu_s", "x_loop", "x_loop_range", "peak_rss_mb"));
    for (Map.Entry<Long, Map<String, List<Row>>> size : bySize.entrySet()) {
      for (Map.Entry<String, List<Row>> mode : size.getValue().entrySet()) {
        List<Row> done = mode.getValue().stream().filter(Row::ok).toList();
        double[] walls = new double[done.size()];
        double[] cpus = new double[done.size()];
        double[] ratios = new double[done.size()];
        int withLoop = 0;
        long peak = 0;
        for (int i = 0; i < done.size(); i++) {
          Row r = done.get(i);
          walls[i] = r.wallSeconds();
          cpus[i] = r.cpuSeconds();
          peak = Math.max(peak, r.peakRssMb());
          Row loop = loopOf(rows, r);
          if (loop != null) {
            ratios[withLoop++] = r.wallSeconds() / loop.wallSeconds();
          }
        }
        ratios = Arrays.copyOf(ratios, withLoop);
        Arrays.sort(ratios);
        String rounds = done.size() + (done.size() < mode.getValue().size() ? "/" + mode.getValue().size() : "");
        sb.append(String.format(Locale.ROOT, "%-7s %10d %6s %9s %9s %8s %13s %12s%n",
            mode.getKey(), size.getKey(), rounds, medianText(walls), medianText(cpus), medianText(ratios),
            ratios.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f-%.2f", ratios[0], ratios[ratios.length - 1]),
            done.isEmpty() ? "-" : Long.toString(peak)));
      }
    }
    return sb.toString();
  }

  private Path ensureData(Path work, SyntheticJudgments shape) throws IOException {
    Path data = work.resolve("data-" + shape.judgments() + "-seed" + shape.seed());
    Path marker = data.resolve("shape.json");
    String want = Json.line(shape);
    if (Files.exists(marker) && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(want)) {
      out.println("data: reusing " + data);
      return data;
    }
    long t0 = System.nanoTime();
    shape.write(data);
    Files.writeString(marker, want + "\n", StandardCharsets.UTF_8);
    out.printf(Locale.ROOT, "data: %d judgments (%d prompts x %d candidates x %d judges x %d samples) written to %s in %.1f s%n",
        shape.judgments(), shape.prompts(), shape.candidates(), BenchRecipe.JUDGES.size(), shape.samples(), data, (System.nanoTime() - t0) / 1e9);
    return data;
  }

  /** The median to two decimals, or "-" for none. */
  private static String medianText(double[] values) {
    return values.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f", Descriptive.median(values));
  }

  private Row runChild(Path work, Path data, SyntheticJudgments shape, String mode, int round) throws IOException, InterruptedException {
    Path runDir = work.resolve("run-" + shape.judgments()).resolve(mode);
    dev.assay.io.Folders.deleteRecursively(runDir);
    Files.createDirectories(runDir);
    Path result = runDir.resolve("result.json");
    Path log = runDir.resolve("child.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + settings.xmx(), "-XX:+ExitOnOutOfMemoryError"));
    cmd.addAll(launcherOptions());
    cmd.addAll(
        List.of("-cp", System.getProperty("java.class.path"), CpuBenchChild.class.getName(), mode, data.toString(),
            runDir.resolve("out").toString(), result.toString(), Long.toString(shape.judgments()), Integer.toString(settings.shards())));
    double load = load1();
    long t0 = System.nanoTime();
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = child.waitFor(settings.timeoutSeconds(), TimeUnit.SECONDS);
    if (!done) {
      child.destroyForcibly().waitFor();
    }
    double proc = (System.nanoTime() - t0) / 1e9;
    String status;
    RunOutcome outcome = null;
    String logText = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    if (!done) {
      status = "timeout";
    } else if (child.exitValue() == 0 && Files.exists(result)) {
      status = "ok";
      outcome = Json.parse(Files.readString(result, StandardCharsets.UTF_8).strip(), RunOutcome.class);
    } else if (logText.contains("OutOfMemoryError")) {
      status = "oom";
    } else {
      status = "failed rc=" + child.exitValue();
    }
    if (!status.equals("ok")) {
      out.println("  " + mode + " log tail (" + log + "):");
      String[] lines = logText.split("\n");
      for (int i = Math.max(0, lines.length - 15); i < lines.length; i++) {
        out.println("    " + lines[i]);
      }
    }
    // The outputs can be large (tens of MB per mode at 1M judgments); keep only what the report needs.
    if (settings.work() == null || status.equals("ok")) {
      dev.assay.io.Folders.deleteRecursively(runDir.resolve("out"));
    }
    return new Row(mode, shape.judgments(), round, proc, load, status, "-", outcome);
  }

  /**
   * The options of this JVM that every child gets, so that each mode starts as a run of {@code ./assay} does, and all
   * modes alike: the class-data-sharing options (the archive, {@code -Xshare}, the {@code cds} logging switches) and
   * the garbage collector the launcher picked ({@code -XX:+Use...GC}). Empty when this JVM has neither.
   */
  static List<String> launcherOptions() {
    return launcherOptions(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /** The class-data-sharing and collector options among {@code jvmArguments}, in their order. */
  static List<String> launcherOptions(List<String> jvmArguments) {
    return jvmArguments.stream()
        .filter(a -> a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-Xshare:") || a.startsWith("-Xlog:cds")
            || COLLECTOR.matcher(a).matches())
        .toList();
  }

  private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w+GC");

  /** The one-minute load average, or NaN where /proc/loadavg does not exist. */
  static double load1() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
