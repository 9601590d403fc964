package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.bench.SmallRecipe;
import dev.assay.sim.Fault;
import dev.assay.sim.FaultPlan;
import dev.assay.sim.RequestRecord;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A small recipe (8 prompts x 2 responses, 2 judgments each: 48 model calls) run through the CLI against the
 * simulator injecting one kind of fault at a time at 30%, and all six kinds mixed (5% each): with retries, every
 * input ends as a result, nothing is lost or duplicated, the manifest's counts equal the files', and the outputs
 * are byte-identical to a fault-free run's; without retries, every faulted call ends in {@code failures/} with the
 * error class its fault maps to and one attempt.
 *
 * <p>Faults are drawn by the simulator from (seed, request body, attempt number), so each scenario is repeatable.
 * Backoffs are 5-50 ms and the read timeout short, so a fault costs milliseconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class FaultInjectionTest {
  private static final int PROMPTS = 8;
  private static final int K = 2;
  private static final int N = 2;
  /** A transport seed under which the mixed plan injects every one of the six kinds on first attempts (checked). */
  private static final long FAULT_SEED = 16;

  /** The six kinds the mixed scenarios draw; slow bodies have their own scenario (they need a short call timeout). */
  private static final Set<Fault> ALL_FAULTS = EnumSet.complementOf(EnumSet.of(Fault.NONE, Fault.SLOW));

  @TempDir static Path tmp;
  private RunFiles reference;

  private static List<String> promptIds() {
    return IntStream.range(0, PROMPTS).mapToObj(i -> "q" + i).toList();
  }

  private SmallRecipe recipe(String name) {
    return SmallRecipe.in(tmp.resolve(name)).prompts(PROMPTS).k(K).n(N);
  }

  @BeforeAll
  void faultFreeReference() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      SmallRecipe r = recipe("reference");
      Path dir = tmp.resolve("reference/run");
      Cli.Result result = Cli.run(Cli.runArgs(r.write(sim.baseUrl()), dir, false));
      assertThat(result.toString(), result.exit(), is(0));
      reference = RunFiles.read(dir);
      reference.assertAccountedFor(promptIds(), K, N);
      assertThat(reference.failures, is(empty()));
    }
  }

  /** Name, fault plan, transport seed (varied, so each kind is drawn on different requests). */
  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("429 storm, Retry-After 1 s", "429=0.30,retry-after=1", 1L),
        Arguments.of("5xx burst", "500=0.30", 2L),
        Arguments.of("timeouts", "timeout=0.30,timeout-ms=1500", 3L),
        Arguments.of("connection resets", "reset=0.30", 4L),
        Arguments.of("malformed JSON", "malformed=0.30", 5L),
        Arguments.of("truncated bodies", "truncated=0.30", 6L),
        // Ten chunks 250 ms apart: each gap is inside the 300 ms read timeout, the whole body is not inside the call
        // timeout (connect 200 ms + 2 x read), so the client gives up on the slow body and retries.
        Arguments.of("slow bodies", "slow=0.30,slow-ms=2500", 7L),
        Arguments.of(
            "all six mixed",
            "429=0.05,500=0.05,timeout=0.05,malformed=0.05,truncated=0.05,reset=0.05,retry-after=1,timeout-ms=1500",
            FAULT_SEED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void withRetriesEveryInputEndsAsAResultIdenticalToAFaultFreeRun(String name, String faults, long seed)
      throws Exception {
    SimulatorConfig config = SimulatorConfig.defaults().withSeed(seed).withFaults(FaultPlan.parse(faults));
    try (Simulator sim = Simulator.start(config)) {
      String folder = "retry-" + seed;
      // 12 retries at a 30% fault rate: a call fails for good with probability 0.3^13 (about 2e-7).
      SmallRecipe r = recipe(folder).endpoint("max_retries", 12).endpoint("read_timeout_ms", 300);
      if (name.startsWith("slow")) {
        r = r.endpoint("connect_timeout_ms", 200);
      }
      Path dir = tmp.resolve(folder).resolve("run");
      Cli.Result result = Cli.run(Cli.runArgs(r.write(sim.baseUrl()), dir, false));
      assertThat(result.toString(), result.exit(), is(0));

      RunFiles run = RunFiles.read(dir);
      run.assertAccountedFor(promptIds(), K, N);
      assertThat("no input lost to a fault", run.failures, is(empty()));
      for (String out : List.of("candidates/candidates.jsonl", "judgments/judgments.jsonl", "failures/failures.jsonl")) {
        assertThat(out + " equals the fault-free run's, byte for byte", run.bytes(out), equalTo(reference.bytes(out)));
      }
      assertThat(run.manifest.path("stages"), equalTo(reference.manifest.path("stages")));

      Map<Fault, Long> injected = faults(sim.requestLog());
      long total = injected.values().stream().mapToLong(Long::longValue).sum();
      assertThat("the simulator did inject faults", total, greaterThan(0L));
      if (name.startsWith("all six")) {
        assertThat("every kind of fault occurred", injected.keySet(), equalTo(ALL_FAULTS));
      }
      long retries = usage(run, "retries");
      // Every faulted attempt was retried; a reply slower than the read timeout may add a retry the log shows as ok.
      assertThat("retries cover every injected fault", retries, greaterThanOrEqualTo(total));
      assertThat("one successful answer per call", usage(run, "requests"), is((long) r.generations() + r.judgments()));
      long sent = sim.requestLog().stream().filter(rec -> rec.path().endsWith("/chat/completions")).count();
      System.out.printf(
          "RELIABILITY faults[%s]: %d calls, %d HTTP requests, %d faults injected %s, %d retries, %d failures, "
              + "%d lost, outputs identical to fault-free: yes%n",
          name, r.generations() + r.judgments(), sent, total, injected, retries, run.failures.size(), 0);
    }
  }

  @Test
  void withoutRetriesEveryFaultedCallIsAFailureWithItsClassAndOneAttempt() throws Exception {
    // Long enough that a slow but healthy reply on a busy machine never times out: only injected timeouts do.
    FaultPlan plan =
        FaultPlan.parse("429=0.05,500=0.05,timeout=0.05,malformed=0.05,truncated=0.05,reset=0.05,timeout-ms=6000");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withSeed(FAULT_SEED).withFaults(plan))) {
      SmallRecipe r = recipe("no-retries").endpoint("max_retries", 0).endpoint("read_timeout_ms", 2000);
      Path dir = tmp.resolve("no-retries/run");
      // Without retries, 12 of the 22 judge calls fail: above the default failure-rate gate (LoudFailuresTest), so
      // the gates are set off here, where what is checked is how each failure is recorded.
      Cli.Result result =
          Cli.run(Cli.runArgs(r.write(sim.baseUrl()), dir, false, "gates.max_failure_rate=1.0", "gates.min_parse_rate=0.0"));
      assertThat(result.toString(), result.exit(), is(0));

      RunFiles run = RunFiles.read(dir);
      run.assertAccountedFor(promptIds(), K, N);
      assertThat(run.failures, is(not(empty())));
      for (JsonNode f : run.failures) {
        assertThat("one request, no retry: " + f, f.path("attempts").asInt(), is(1));
      }
      // Each injected fault is one failure of the class the client maps it to: none lost, none invented.
      assertThat("every kind of fault occurred", faults(sim.requestLog()).keySet(), equalTo(ALL_FAULTS));
      Map<String, Long> expected = new TreeMap<>();
      faults(sim.requestLog()).forEach((fault, count) -> expected.merge(errorClass(fault), count, Long::sum));
      Map<String, Long> actual = new TreeMap<>();
      run.failureClasses(RunFiles.GENERATE).forEach((c, n) -> actual.merge(c, n, Long::sum));
      run.failureClasses(RunFiles.JUDGE).forEach((c, n) -> actual.merge(c, n, Long::sum));
      assertThat(actual, equalTo(expected));
      long calls = sim.requestLog().stream().filter(rec -> rec.path().endsWith("/chat/completions")).count();
      System.out.printf(
          "RELIABILITY faults[no retries]: %d HTTP requests, %d faults injected %s, failures by class %s "
              + "(generate %d, judge %d), every failure attempts=1, %d lost%n",
          calls, expected.values().stream().mapToLong(Long::longValue).sum(), faults(sim.requestLog()), actual,
          run.failures(RunFiles.GENERATE).size(), run.failures(RunFiles.JUDGE).size(), 0);
    }
  }

  /** The typed error the client raises for each injected fault. */
  private static String errorClass(Fault fault) {
    return switch (fault) {
      case RATE_LIMIT -> "RateLimitedException";
      case SERVER_ERROR -> "ServerErrorException";
      case TIMEOUT, SLOW -> "RequestTimeoutException";
      case MALFORMED, TRUNCATED -> "MalformedResponseException";
      case RESET -> "TransportException";
      case NONE -> throw new IllegalArgumentException("not a fault");
    };
  }

  private static Map<Fault, Long> faults(List<RequestRecord> log) {
    Map<Fault, Long> out = new EnumMap<>(Fault.class);
    for (RequestRecord rec : log) {
      if (rec.fault() != Fault.NONE) {
        out.merge(rec.fault(), 1L, Long::sum);
      }
    }
    return out;
  }

  private static long usage(RunFiles run, String field) {
    List<Long> values = new ArrayList<>();
    run.manifest.path("usage").forEach(u -> values.add(u.path(field).asLong()));
    return values.stream().mapToLong(Long::longValue).sum();
  }
}
