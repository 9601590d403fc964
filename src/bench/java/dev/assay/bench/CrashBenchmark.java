package dev.assay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.sim.Fault;
import dev.assay.sim.FaultPlan;
import dev.assay.sim.Latency;
import dev.assay.sim.RequestRecord;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./assay bench crash}: the crash guarantee at scale. A generate-then-judge recipe of at least {@code calls}
 * model calls runs through the real command line in a child JVM against the simulator (in this JVM) with one endpoint
 * at {@code max_in_flight} (4,096 by default; {@code min_in_flight} the same, so injected 429s and timeouts do not
 * shrink the adaptive window), latency uniform 500-3,000 ms and injected faults (429, 500, timeouts,
 * connection resets in equal shares): once uninterrupted (the reference), then in a new folder killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at seeded ledger sizes, resumed with {@code --resume} after each kill, and run
 * to the end.
 *
 * <p>Checked, each a line of {@link Report#problems()} when it fails: at every kill, no request that was in the
 * ledger was sent again, and the requests answered before the kill that were sent again are at most those in flight
 * at the kill (received by the simulator and not yet answered: its log has each request's arrival and reply time);
 * at the end, every call of the reference is in the final ledger exactly once (or a failure, and then the same one),
 * the published files equal the reference's byte for byte with run ids and times masked ({@link RunDiff}), every
 * stage balances and the stages' inputs are the recipe's calls. Every child exits 0 except the killed ones.
 *
 * <p>Failure modes: {@link IOException} when the work folder cannot be written or the simulator cannot listen; a
 * child that ends before its kill point, fails or outlives {@link Settings#childTimeoutSeconds()} is a problem of the
 * report, not an exception (its log tail is printed).
 */
public final class CrashBenchmark {
  /** The chat path the simulator logs model calls under. */
  static final String CHAT = "/v1/chat/completions";

  /**
   * What to run.
   *
   * @param calls model calls the recipe makes at least (prompts x k x (1 + n), prompts rounded up)
   * @param seed seeds the kill points, the recipe and the simulator's transport (latency and faults)
   * @param work folder for the recipe, the two run directories and the child logs, kept; null for a temporary folder,
   *     removed at the end
   * @param inFlight the endpoint's {@code max_in_flight}
   * @param latency the simulator's latency, {@link Latency#parse} form (e.g. {@code uniform:500-3000})
   * @param faultRate the share of requests faulted, split equally between 429, 500, timeouts and resets
   * @param kills SIGKILLs, each followed by a resume
   * @param k responses per prompt
   * @param n judge samples per response
   * @param readTimeoutMs the client's read timeout, above the latency's maximum
   * @param timeoutHoldMs how long the simulator holds a timeout fault, above the read timeout
   * @param maxRetries the endpoint's {@code max_retries}
   * @param backoffMs the endpoint's {@code initial_backoff_ms} ({@code max_backoff_ms} is ten times it)
   * @param xmx the child JVM's heap limit
   * @param childTimeoutSeconds how long a child may run before it is killed and reported
   */
  public record Settings(
      long calls, long seed, Path work, int inFlight, String latency, double faultRate, int kills, int k, int n,
      long readTimeoutMs, long timeoutHoldMs, int maxRetries, long backoffMs, String xmx, long childTimeoutSeconds) {
    public Settings {
      if (calls < 1) {
        throw new IllegalArgumentException("--calls must be at least 1: " + calls);
      }
      if (inFlight < 1) {
        throw new IllegalArgumentException("--in-flight must be at least 1: " + inFlight);
      }
      Latency.parse(latency); // throws IllegalArgumentException naming the problem
      if (!(faultRate >= 0 && faultRate < 1)) {
        throw new IllegalArgumentException("--faults must be in [0, 1): " + faultRate);
      }
      if (kills < 1) {
        throw new IllegalArgumentException("--kills must be at least 1: " + kills);
      }
      if (k < 1 || n < 1) {
        throw new IllegalArgumentException("k and n must be at least 1: " + k + ", " + n);
      }
      if (timeoutHoldMs <= readTimeoutMs) {
        throw new IllegalArgumentException("the timeout hold must exceed the read timeout, or a timeout fault is an answer");
      }
      if (xmx == null || !xmx.matches("[0-9]+[kKmMgG]?")) {
        throw new IllegalArgumentException("--xmx must look like 1g or 512m: " + xmx);
      }
    }

    /** Prompts: enough for {@link #calls} calls. */
    public int prompts() {
      return (int) Math.ceil(calls / (double) (k * (1 + n)));
    }

    /** The simulator's fault plan: {@code faultRate} in four equal shares. */
    FaultPlan faults() {
      double each = faultRate / 4;
      return FaultPlan.rates(each, each, each, 0, 0, each).withTimeoutHoldMillis(timeoutHoldMs);
    }
  }

  /**
   * One child JVM: what it ran, its exit status, wall time, the highest resident set, thread count and established
   * TCP connections sampled from {@code /proc} (about every second; -1 where there is no {@code /proc}), and what the
   * simulator saw of it.
   */
  public record Child(
      String what, String exit, double wallSeconds, long peakRssMb, long peakThreads, long peakConnections,
      long requests, long bodies, Map<Fault, Long> faults) {
    /** Requests beyond the first of each body within this child: its retries. */
    public long retries() {
      return requests - bodies;
    }
  }

  /**
   * One kill. A call is in flight from the moment the run sends its first request until its answer is in the ledger:
   * a crash may lose those, and only those, so after the resume it may send them again and nothing else.
   *
   * @param point the ledger size the kill was drawn at
   * @param ledgerAtKill the ledger's entries once the process was dead
   * @param inFlight distinct calls the killed process had sent (the simulator had received them before the kill
   *     instant) whose answers were not in the ledger at the kill (a call that had failed for good counts too: the
   *     ledger holds answers only)
   * @param awaitingServer of those, the ones the simulator had received and not yet answered at the kill instant
   * @param answeredUnrecorded of those, the ones the simulator had answered (200) before the kill
   * @param resent calls the simulator had answered for the killed process before the kill that the next process sent
   *     again
   * @param resentNotInFlight of those, the ones that were not in flight at the kill (must be 0)
   * @param resentFromLedger requests the next process sent whose answers were in the ledger at the kill (must be 0)
   */
  public record Kill(
      int index, long point, long ledgerAtKill, long inFlight, long awaitingServer, long answeredUnrecorded, long resent,
      long resentNotInFlight, long resentFromLedger) {
    /** What this kill breaks of the guarantee, empty when it holds. */
    public List<String> problems() {
      List<String> out = new ArrayList<>();
      if (resentFromLedger > 0) {
        out.add("kill " + index + ": " + resentFromLedger + " requests that were in the ledger were sent again");
      }
      if (resentNotInFlight > 0 || resent > inFlight) {
        out.add("kill " + index + ": " + resent + " requests answered before the kill were sent again, "
            + resentNotInFlight + " of them not in flight (" + inFlight + " were)");
      }
      return out;
    }
  }

  /** Everything measured, and every check that failed (empty: the guarantee held). */
  public record Report(
      Settings settings, int prompts, long calls, List<Child> children, List<Kill> kills, long referenceFailures,
      long finalFailures, int checks, List<String> problems) {
    public Report {
      children = List.copyOf(children);
      kills = List.copyOf(kills);
      problems = List.copyOf(problems);
    }

    public boolean passed() {
      return problems.isEmpty();
    }
  }

  private final Settings settings;
  private final Path project;
  private final PrintStream out;
  private Path work;

  public CrashBenchmark(Settings settings, Path project, PrintStream out) {
    this.settings = settings;
    this.project = project;
    this.out = out;
  }

  /**
   * Kill points: one per equal share of the run's {@code total} ledger entries, drawn uniformly from the middle 80% of
   * its share, so they are spread over the run and increasing.
   */
  static long[] killPoints(long seed, long total, int kills) {
    Random random = new Random(seed);
    long[] points = new long[kills];
    double share = total / (double) kills;
    for (int i = 0; i < kills; i++) {
      points[i] = Math.max(1, (long) (share * (i + 0.1 + 0.8 * random.nextDouble())));
    }
    return points;
  }

  /** Runs the reference, the killed and resumed runs, and the checks; prints progress as it goes. */
  public Report run() throws IOException, InterruptedException {
    work = settings.work() != null ? settings.work() : Files.createTempDirectory("assay-bench-crash");
    try {
      return run(settings);
    } finally {
      if (settings.work() == null) {
        dev.assay.io.Folders.deleteRecursively(work);
      }
    }
  }

  private Report run(Settings s) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path reference = work.resolve("reference");
    Path crashed = work.resolve("crashed");
    for (Path dir : List.of(reference, crashed)) {
      dev.assay.io.Folders.deleteRecursively(dir);
    }
    SimulatorConfig config = SimulatorConfig.defaults().withSeed(s.seed()).withLatency(Latency.parse(s.latency()))
        .withFaults(s.faults()).withLogCapacity(Integer.MAX_VALUE);
    List<String> problems = new ArrayList<>();
    List<Child> children = new ArrayList<>();
    List<Kill> kills = new ArrayList<>();
    int checks = 0;
    try (Simulator sim = Simulator.start(config)) {
      SmallRecipe recipe = SmallRecipe.in(work.resolve("recipe")).project(project).oneEndpoint()
          .prompts(s.prompts()).k(s.k()).n(s.n()).seed(s.seed())
          // The floor holds the window at max_in_flight: random 429s and timeouts would otherwise halve it to a few.
          .endpoint("max_in_flight", s.inFlight()).endpoint("min_in_flight", s.inFlight()).endpoint("max_retries", s.maxRetries())
          .endpoint("initial_backoff_ms", s.backoffMs()).endpoint("max_backoff_ms", 10 * s.backoffMs())
          .endpoint("read_timeout_ms", s.readTimeoutMs());
      Path recipeFile = recipe.write(sim.baseUrl());
      long calls = recipe.generations() + recipe.judgments();
      out.printf(Locale.ROOT, "recipe: %d prompts x %d responses x (1 + %d judge samples) = %d calls; endpoint max_in_flight = min_in_flight %d, "
              + "max_retries %d, read timeout %d ms; simulator latency %s, faults %s (timeouts held %d ms); child -Xmx%s%n",
          s.prompts(), s.k(), s.n(), calls, s.inFlight(), s.maxRetries(), s.readTimeoutMs(), s.latency(), faultText(s),
          s.timeoutHoldMs(), s.xmx());

      // The reference: one uninterrupted run.
      Child ref = runChild(sim, "reference", recipeFile, reference, false, -1, problems).child();
      children.add(ref);
      checks++;
      if (!ref.exit().equals("0")) {
        problems.add("the reference run exited " + ref.exit());
        return new Report(s, s.prompts(), calls, children, kills, 0, 0, checks, problems);
      }
      Map<String, Integer> refBodies = LedgerProbe.bodies(reference.resolve("ledger"));
      long refFailures = failures(reference);

      // The same recipe in a new folder, killed at each point and resumed.
      long[] points = killPoints(s.seed(), refBodies.size(), s.kills());
      List<Killed> killed = new ArrayList<>();
      for (int i = 0; i < points.length; i++) {
        Killed k = runChild(sim, "kill " + (i + 1), recipeFile, crashed, i > 0, points[i], problems);
        children.add(k.child());
        if (k.at() == null) {
          return new Report(s, s.prompts(), calls, children, kills, refFailures, 0, checks, problems);
        }
        killed.add(new Killed(k.child(), k.at(), k.from(), k.to(), LedgerProbe.bodies(crashed.resolve("ledger")).keySet()));
      }
      Killed last = runChild(sim, "final resume", recipeFile, crashed, true, -1, problems);
      children.add(last.child());
      checks++;
      if (!last.child().exit().equals("0")) {
        problems.add("the final resume exited " + last.child().exit());
        return new Report(s, s.prompts(), calls, children, kills, refFailures, 0, checks, problems);
      }

      List<RequestRecord> log = sim.requestLog();
      for (int i = 0; i < killed.size(); i++) {
        Killed k = killed.get(i);
        Killed next = i + 1 < killed.size() ? killed.get(i + 1) : last;
        Kill kill = kill(i + 1, points[i], log, k.from(), k.to(), next.from(), next.to(), k.at(), k.ledger());
        kills.add(kill);
        problems.addAll(kill.problems());
        checks += 2;
      }

      // Nothing lost, nothing twice, the same files, and the accounting.
      Map<String, Integer> finalBodies = LedgerProbe.bodies(crashed.resolve("ledger"));
      long finalFailures = failures(crashed);
      checks += 9;
      twice("reference", refBodies, problems);
      twice("final", finalBodies, problems);
      if (!finalBodies.keySet().equals(refBodies.keySet())) {
        Set<String> lost = new HashSet<>(refBodies.keySet());
        lost.removeAll(finalBodies.keySet());
        Set<String> extra = new HashSet<>(finalBodies.keySet());
        extra.removeAll(refBodies.keySet());
        problems.add("the final ledger lacks " + lost.size() + " of the reference's requests and has " + extra.size() + " it lacks");
      }
      // Calls as the reference's manifest counts them: a failed generation has no judge calls.
      JsonNode stages = RunDiff.manifest(reference).path("stages");
      long made = stages.path("generate").path("in").asLong() + stages.path("judge.self").path("in").asLong();
      if (refBodies.size() + refFailures != made) {
        problems.add("the reference accounts for " + refBodies.size() + " answers + " + refFailures + " failures, not the "
            + made + " calls of its stages");
      }
      for (String d : RunDiff.differences(reference, crashed, false)) {
        problems.add("published outputs: " + d);
      }
      for (Path run : List.of(reference, crashed)) {
        problems.addAll(RunDiff.unbalancedStages(run));
        problems.addAll(stageInputs(run, s.prompts(), s.k(), s.n()));
      }
      return new Report(s, s.prompts(), calls, children, kills, refFailures, finalFailures, checks, problems);
    }
  }

  /** A child that was (or was meant to be) killed: when, its slice of the simulator's log, and the ledger at death. */
  private record Killed(Child child, Instant at, int from, int to, Set<String> ledger) {}

  /**
   * The figures and checks of one kill from the simulator's log: the killed process's requests are at {@code [from,
   * to)}, the next process's at {@code [nextFrom, nextTo)}; {@code at} is the kill instant and {@code ledgerAtKill}
   * the bodies in the ledger once the process was dead.
   */
  static Kill kill(
      int index, long point, List<RequestRecord> log, int from, int to, int nextFrom, int nextTo, Instant at,
      Set<String> ledgerAtKill) {
    Set<String> inFlight = new HashSet<>();
    Set<String> awaiting = new HashSet<>();
    Set<String> answered = new HashSet<>();
    for (RequestRecord r : log.subList(from, to)) {
      if (!r.path().equals(CHAT) || r.timestamp().isAfter(at)) {
        continue;
      }
      if (!ledgerAtKill.contains(r.bodySha256())) {
        inFlight.add(r.bodySha256());
      }
      if (r.dueAt().isAfter(at)) {
        awaiting.add(r.bodySha256());
      } else if (r.status() == 200) {
        answered.add(r.bodySha256());
      }
    }
    awaiting.retainAll(inFlight);
    Set<String> sentAgain = new HashSet<>();
    long fromLedger = 0;
    for (RequestRecord r : log.subList(nextFrom, nextTo)) {
      if (r.path().equals(CHAT) && answered.contains(r.bodySha256())) {
        sentAgain.add(r.bodySha256());
      }
    }
    Set<String> sentNext = new HashSet<>();
    for (RequestRecord r : log.subList(nextFrom, nextTo)) {
      if (r.path().equals(CHAT) && sentNext.add(r.bodySha256()) && ledgerAtKill.contains(r.bodySha256())) {
        fromLedger++;
      }
    }
    long unrecorded = answered.stream().filter(b -> !ledgerAtKill.contains(b)).count();
    long notInFlight = sentAgain.stream().filter(b -> !inFlight.contains(b)).count();
    return new Kill(index, point, ledgerAtKill.size(), inFlight.size(), awaiting.size(), unrecorded, sentAgain.size(),
        notInFlight, fromLedger);
  }

  /** Runs one child to its end, or kills it once the ledger holds {@code killAt} entries (a negative: never). */
  private Killed runChild(Simulator sim, String what, Path recipe, Path runDir, boolean resume, long killAt, List<String> problems)
      throws IOException, InterruptedException {
    Path log = work.resolve("child-" + what.replace(' ', '-') + ".log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + settings.xmx(), "-XX:+ExitOnOutOfMemoryError"));
    cmd.addAll(CpuBenchmark.launcherOptions());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.assay.cli.Main",
        "run", recipe.toString(), "--run-dir", runDir.toString(), "--no-progress"));
    if (resume) {
      cmd.add("--resume");
    }
    int from = sim.requestLog().size();
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(settings.childTimeoutSeconds());
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Instant killedAt = null;
    String exit;
    Peaks peaks = new Peaks(child.pid());
    if (killAt >= 0) {
      LedgerProbe.Counter ledger = new LedgerProbe.Counter(runDir.resolve("ledger"));
      for (int i = 0; child.isAlive() && ledger.count() < killAt && System.nanoTime() < deadline; i++) {
        if (i % 100 == 0) {
          peaks.sample();
        }
        Thread.sleep(10);
      }
      if (child.isAlive() && System.nanoTime() < deadline) {
        peaks.sample();
        killedAt = Instant.now();
        child.destroyForcibly();
        child.waitFor();
        exit = "SIGKILL";
      } else {
        exit = finish(child, deadline, peaks);
        problems.add(what + ": the child " + (exit.equals("timeout") ? "timed out" : "ended (" + exit + ")")
            + " before the ledger reached " + killAt + " entries");
      }
    } else {
      exit = finish(child, deadline, peaks);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    if (!exit.equals("0") && !exit.equals("SIGKILL")) {
      tail(log);
    }
    List<RequestRecord> records = sim.requestLog();
    int to = records.size();
    Child c = summarize(what, exit, wall, peaks, records.subList(from, to));
    out.printf(Locale.ROOT, "  %-13s exit %-7s %8.1f s wall, %7d requests, %6d retries, peak %d MB RSS, %d threads, %d connections%s%n",
        what, exit, wall, c.requests(), c.retries(), c.peakRssMb(), c.peakThreads(), c.peakConnections(),
        killedAt == null ? "" : ", killed at " + killAt + " ledger entries");
    return new Killed(c, killedAt, from, to, Set.of());
  }

  /** Waits for the child's end, sampling its peaks, until the deadline, when it is killed: its exit or "timeout". */
  private static String finish(Process child, long deadline, Peaks peaks) throws InterruptedException {
    while (true) {
      peaks.sample();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        child.destroyForcibly().waitFor();
        return "timeout";
      }
      if (child.waitFor(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
        return Integer.toString(child.exitValue());
      }
    }
  }

  /**
   * The highest resident set (VmHWM, MiB), thread count and established TCP connections of a child process seen so far
   * ({@link ProcessSample}); -1 before any reading.
   */
  private static final class Peaks {
    private final long pid;
    private ProcessSample peak = ProcessSample.NONE;

    Peaks(long pid) {
      this.pid = pid;
    }

    void sample() {
      peak = peak.max(ProcessSample.of(pid));
    }
  }

  /** A child's requests, distinct bodies and faults by kind, from its slice of the log. */
  private static Child summarize(String what, String exit, double wall, Peaks peaks, List<RequestRecord> records) {
    Map<Fault, Long> faults = new EnumMap<>(Fault.class);
    Set<String> bodies = new HashSet<>();
    long requests = 0;
    for (RequestRecord r : records) {
      if (!r.path().equals(CHAT)) {
        continue;
      }
      requests++;
      bodies.add(r.bodySha256());
      if (r.fault() != Fault.NONE) {
        faults.merge(r.fault(), 1L, Long::sum);
      }
    }
    return new Child(what, exit, wall, peaks.peak.peakRssMb(), peaks.peak.threads(), peaks.peak.established(), requests, bodies.size(), faults);
  }

  private void tail(Path log) throws IOException {
    String[] lines = Files.readString(log, StandardCharsets.UTF_8).split("\n");
    out.println("    log tail (" + log + "):");
    for (int i = Math.max(0, lines.length - 15); i < lines.length; i++) {
      out.println("    " + lines[i]);
    }
  }

  private static void twice(String which, Map<String, Integer> bodies, List<String> problems) {
    long twice = bodies.values().stream().filter(c -> c > 1).count();
    if (twice > 0) {
      problems.add("the " + which + " ledger holds " + twice + " requests more than once");
    }
  }

  /** Lines of the run's failures file (0 when it has none). */
  private static long failures(Path run) throws IOException {
    Path f = run.resolve("failures/failures.jsonl");
    return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8).size() : 0;
  }

  /** Generation takes every (prompt, response) and the judge every candidate's n samples, by the manifest. */
  static List<String> stageInputs(Path run, int prompts, int k, int n) {
    JsonNode stages = RunDiff.manifest(run).path("stages");
    List<String> out = new ArrayList<>();
    long genIn = stages.path("generate").path("in").asLong(-1);
    if (genIn != (long) prompts * k) {
      out.add(run + ": generate took " + genIn + " calls, not " + prompts * k);
    }
    long judgeIn = stages.path("judge.self").path("in").asLong(-1);
    long candidates = stages.path("generate").path("out").asLong(-1);
    if (judgeIn != candidates * n) {
      out.add(run + ": judge.self took " + judgeIn + " calls, not " + candidates + " candidates x " + n);
    }
    return out;
  }

  private static String faultText(Settings s) {
    return String.format(Locale.ROOT, "%.1f%% (429, 500, timeout, reset at %.2f%% each)", 100 * s.faultRate(), 25 * s.faultRate());
  }

  /** The kill table, the children's totals and the verdict. */
  public static String format(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-4s %8s %14s %9s %15s %19s %7s %14s %15s %s%n", "kill", "point",
        "ledger_at_kill", "in_flight", "awaiting_server", "answered_unrecorded", "re_sent", "re_sent_not_ifl",
        "re_sent_ledger", "checks"));
    for (Kill k : r.kills()) {
      sb.append(String.format(Locale.ROOT, "%-4d %8d %14d %9d %15d %19d %7d %14d %15d %s%n", k.index(), k.point(),
          k.ledgerAtKill(), k.inFlight(), k.awaitingServer(), k.answeredUnrecorded(), k.resent(), k.resentNotInFlight(),
          k.resentFromLedger(), k.problems().isEmpty() ? "ok" : "FAILED"));
    }
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, "%-13s %8s %9s %8s %8s %8s %9s %8s %8s %8s %8s %8s%n",
        "child", "exit", "wall_s", "rss_mb", "threads", "conns", "requests", "retries", "429", "500", "timeout", "reset"));
    long requests = 0;
    long retries = 0;
    Map<Fault, Long> faults = new EnumMap<>(Fault.class);
    for (Child c : r.children()) {
      sb.append(String.format(Locale.ROOT, "%-13s %8s %9.1f %8d %8d %8d %9d %8d %8d %8d %8d %8d%n",
          c.what(), c.exit(), c.wallSeconds(), c.peakRssMb(), c.peakThreads(), c.peakConnections(), c.requests(), c.retries(), c.faults().getOrDefault(Fault.RATE_LIMIT, 0L),
          c.faults().getOrDefault(Fault.SERVER_ERROR, 0L), c.faults().getOrDefault(Fault.TIMEOUT, 0L),
          c.faults().getOrDefault(Fault.RESET, 0L)));
      requests += c.requests();
      retries += c.retries();
      c.faults().forEach((f, v) -> faults.merge(f, v, Long::sum));
    }
    sb.append(String.format(Locale.ROOT, "%-13s %8s %9s %8s %8s %8s %9d %8d %8d %8d %8d %8d%n", "total", "", "", "", "", "", requests, retries,
        faults.getOrDefault(Fault.RATE_LIMIT, 0L), faults.getOrDefault(Fault.SERVER_ERROR, 0L),
        faults.getOrDefault(Fault.TIMEOUT, 0L), faults.getOrDefault(Fault.RESET, 0L)));
    sb.append(String.format(Locale.ROOT, "%ncalls %d (%d prompts), recorded failures: reference %d, final %d; %d checks, %s%n",
        r.calls(), r.prompts(), r.referenceFailures(), r.finalFailures(), r.checks(),
        r.passed() ? "all passed" : r.problems().size() + " FAILED"));
    for (String p : r.problems()) {
      sb.append("FAILED: ").append(p).append('\n');
    }
    return sb.toString();
  }
}
