package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a hung connection must fail the test, not the build
class SimFaultsTest {
  private static String body(int i) {
    return SimTestClient.chatBody("sim-m1", SimTestClient.prompt(i), i, 0.8, 1);
  }

  private static Simulator start(FaultPlan plan) {
    try {
      return Simulator.start(SimulatorConfig.defaults().withFaults(plan));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the client saw: an HTTP status, 200 with a body that is not JSON (-1), or no reply at all (-2). */
  private static int outcome(HttpResponse<String> r) {
    if (r.statusCode() == 200) {
      try {
        SimTestClient.parse(r.body());
      } catch (UncheckedIOException notJson) {
        return -1;
      }
    }
    return r.statusCode();
  }

  @Test
  void faultsComeAtRoughlyTheirRatesAndLookAsAdvertised() {
    FaultPlan plan =
        FaultPlan.rates(0.10, 0.10, 0.05, 0.05, 0.05, 0.05).withTimeoutHoldMillis(300).withRetryAfterSeconds(7);
    int n = 400;
    try (Simulator sim = start(plan)) {
      SimTestClient client = new SimTestClient(sim);
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(client.http
            .sendAsync(
                client.postRequest("/chat/completions", body(i), Duration.ofSeconds(5)),
                HttpResponse.BodyHandlers.ofString())
            .thenApply(r -> {
              if (r.statusCode() == 429) {
                assertThat(r.headers().firstValue("Retry-After").orElse(""), is("7"));
              }
              return outcome(r);
            })
            .exceptionally(e -> -2));
      }
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < n; i++) {
        seen.put(Simulator.bodySha256(body(i).getBytes(StandardCharsets.UTF_8)), futures.get(i).join());
      }
      Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
      for (RequestRecord r : sim.requestLog()) {
        counts.merge(r.fault(), 1, Integer::sum);
        int expected = switch (r.fault()) {
          case NONE, SLOW -> 200;
          case RATE_LIMIT -> 429;
          case SERVER_ERROR -> 500;
          case TIMEOUT -> 504;
          case MALFORMED -> -1;
          case TRUNCATED, RESET -> -2;
        };
        assertThat("client outcome for " + r, seen.get(r.bodySha256()), is(expected));
        assertThat(r.attempt(), is(1));
      }
      assertThat(sim.servedCount(), is((long) n));
      assertThat(share(counts, Fault.RATE_LIMIT, n), closeTo(0.10, 0.05));
      assertThat(share(counts, Fault.SERVER_ERROR, n), closeTo(0.10, 0.05));
      for (Fault f : List.of(Fault.TIMEOUT, Fault.MALFORMED, Fault.TRUNCATED, Fault.RESET)) {
        assertThat(f.wire(), share(counts, f, n), closeTo(0.05, 0.035));
      }
      assertThat(share(counts, Fault.NONE, n), closeTo(0.60, 0.07));
    }
  }

  @Test
  void aSlowBodyArrivesWholeButTakesItsTime() throws Exception {
    String fast;
    try (Simulator clean = start(FaultPlan.none())) {
      fast = new SimTestClient(clean).http
          .send(new SimTestClient(clean).postRequest("/chat/completions", body(1), Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofString())
          .body();
    }
    try (Simulator sim = start(FaultPlan.none().withSlowBody(1.0, 600))) {
      SimTestClient client = new SimTestClient(sim);
      long start = System.nanoTime();
      HttpResponse<String> r =
          client.http.send(client.postRequest("/chat/completions", body(1), Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofString());
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.statusCode(), is(200));
      assertThat("the same bytes as a fault-free server", r.body(), is(fast));
      assertThat("ten chunks 60 ms apart", millis >= 500, is(true));
      assertThat(sim.requestLog().get(0).fault(), is(Fault.SLOW));
    }
  }

  private static double share(Map<Fault, Integer> counts, Fault f, int n) {
    return counts.getOrDefault(f, 0) / (double) n;
  }

  @Test
  void retryingTheSameBodyEventuallySucceedsWithTheBytesOfAFaultFreeServer() throws IOException {
    FaultPlan plan = FaultPlan.rates(0.15, 0.15, 0.05, 0.1, 0.1, 0.1).withTimeoutHoldMillis(50);
    try (Simulator faulty = start(plan); Simulator clean = Simulator.start(SimulatorConfig.defaults())) {
      SimTestClient client = new SimTestClient(faulty);
      SimTestClient reference = new SimTestClient(clean);
      int retried = 0;
      for (int i = 0; i < 25; i++) {
        String body = body(i);
        String answer = null;
        int attempts = 0;
        while (answer == null && attempts < 30) {
          attempts++;
          try {
            HttpResponse<String> r = client.post("/chat/completions", body, Duration.ofSeconds(5));
            if (outcome(r) == 200) {
              answer = r.body();
            }
          } catch (UncheckedIOException transport) {
            // reset or truncated: retry like a client would
          }
        }
        assertThat("attempts for body " + i, attempts, lessThan(30));
        retried += attempts > 1 ? 1 : 0;
        assertThat(answer, equalTo(reference.post("/chat/completions", body).body()));
      }
      assertThat("some bodies needed a retry", retried, greaterThanOrEqualTo(5));
    }
  }

  @Test
  void maxFaultsPerBodyBoundsTheFaultsOfOneBody() {
    try (Simulator sim = start(FaultPlan.rates(0, 1.0, 0, 0, 0, 0).withMaxFaultsPerBody(2))) {
      SimTestClient client = new SimTestClient(sim);
      assertThat(client.post("/chat/completions", body(1)).statusCode(), is(500));
      assertThat(client.post("/chat/completions", body(1)).statusCode(), is(500));
      assertThat(client.post("/chat/completions", body(1)).statusCode(), is(200));
      assertThat(client.post("/chat/completions", body(2)).statusCode(), is(500));
      List<RequestRecord> log = sim.requestLog();
      assertThat(log.get(2).attempt(), is(3));
      assertThat(log.get(3).attempt(), is(1));
    }
  }

  @Test
  void theFaultSequenceIsRepeatableForASeed() {
    FaultPlan plan = FaultPlan.rates(0.2, 0.2, 0, 0.2, 0, 0);
    List<Integer> first = statuses(SimulatorConfig.defaults().withFaults(plan));
    assertThat(statuses(SimulatorConfig.defaults().withFaults(plan)), equalTo(first));
    assertThat(statuses(SimulatorConfig.defaults().withFaults(plan).withSeed(7)), not(equalTo(first)));
  }

  private static List<Integer> statuses(SimulatorConfig config) {
    List<Integer> out = new ArrayList<>();
    try (Simulator sim = Simulator.start(config)) {
      SimTestClient client = new SimTestClient(sim);
      for (int i = 0; i < 40; i++) {
        out.add(outcome(client.post("/chat/completions", body(i % 10))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void timeoutsHoldLongerThanTheClientWaitsAndCloseDropsThem() {
    Simulator sim = start(FaultPlan.rates(0, 0, 1.0, 0, 0, 0).withTimeoutHoldMillis(60_000));
    SimTestClient client = new SimTestClient(sim);
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> client.post("/chat/completions", body(1), Duration.ofMillis(200)));
    assertThat(e.getCause(), instanceOf(HttpTimeoutException.class));
    CompletableFuture<HttpResponse<String>> pending = client.http.sendAsync(
        client.postRequest("/chat/completions", body(2), Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
    long t0 = System.nanoTime();
    while (sim.servedCount() < 2 && System.nanoTime() - t0 < 5_000_000_000L) {
      Thread.onSpinWait();
    }
    sim.close();
    assertThat("close does not wait for held replies", (System.nanoTime() - t0) / 1e9, lessThan(3.0));
    CompletionException dropped = assertThrows(CompletionException.class, pending::join);
    assertThat(dropped.getCause(), instanceOf(IOException.class));
  }

  @Test
  void malformedTruncatedAndResetRepliesFailAsTheirNamesSay() {
    try (Simulator sim = start(FaultPlan.rates(0, 0, 0, 1.0, 0, 0))) {
      HttpResponse<String> r = new SimTestClient(sim).post("/chat/completions", body(1));
      assertThat(r.statusCode(), is(200));
      assertThat(outcome(r), is(-1));
    }
    for (FaultPlan plan : List.of(FaultPlan.rates(0, 0, 0, 0, 1.0, 0), FaultPlan.rates(0, 0, 0, 0, 0, 1.0))) {
      try (Simulator sim = start(plan)) {
        SimTestClient client = new SimTestClient(sim);
        UncheckedIOException e =
            assertThrows(UncheckedIOException.class, () -> client.post("/chat/completions", body(1)));
        assertThat(e.getCause(), instanceOf(IOException.class));
        assertThat(sim.requestLog().get(0).status(), is(plan.rateReset() > 0 ? 0 : 200));
      }
    }
  }

  @Test
  void requestErrorsAreNeverFaulted() {
    try (Simulator sim = start(FaultPlan.rates(0, 1.0, 0, 0, 0, 0))) {
      SimTestClient client = new SimTestClient(sim);
      assertThat(client.post("/chat/completions", "{oops").statusCode(), is(400));
      String unknownModel = SimTestClient.chatBody("sim-nope", "x", 0, 1, 1);
      assertThat(client.post("/chat/completions", unknownModel).statusCode(), is(404));
      assertThat(client.get("/models").statusCode(), is(200));
    }
  }

  @Test
  void latencyDelaysTheReply() {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withLatency(new Latency.Fixed(150)))) {
      long t0 = System.nanoTime();
      assertThat(new SimTestClient(sim).post("/chat/completions", body(1)).statusCode(), is(200));
      assertThat((System.nanoTime() - t0) / 1e6, greaterThanOrEqualTo(150.0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void statusesOfWholeRunsStayWithinBounds() {
    // A plan whose rates add up to exactly 1 is valid: every request faults.
    FaultPlan all = FaultPlan.rates(0.5, 0.5, 0, 0, 0, 0);
    try (Simulator sim = start(all)) {
      SimTestClient client = new SimTestClient(sim);
      for (int i = 0; i < 20; i++) {
        assertThat(client.post("/chat/completions", body(i)).statusCode(), lessThanOrEqualTo(500));
      }
      assertThat(sim.servedCount("/v1/chat/completions", 200), is(0L));
    }
  }
}
