package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a hung connection must fail the test, not the build
class SimThroughputTest {
  @Test
  void latencyDoesNotSerialiseConcurrentRequests() throws IOException {
    int n = 200;
    long latencyMs = 50;
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withLatency(new Latency.Fixed(latencyMs)))) {
      SimTestClient client = new SimTestClient(sim);
      // Warm the JIT and the connection machinery so the bound measures the simulator, not class loading.
      client.post("/chat/completions", SimTestClient.chatBody("sim-m1", "warm up", 0, 0.7, 1));
      long t0 = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String body = i % 2 == 0
            ? SimTestClient.chatBody("sim-m1", SimTestClient.prompt(i), i, 0.7, 1)
            : SimTestClient.chatBody(
                "sim-m1", SimTestClient.absolutePrompt("Explain.", "An answer " + i, null, 5), i, 0.7, 1);
        futures.add(client.http.sendAsync(
            client.postRequest("/chat/completions", body, Duration.ofSeconds(20)),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : futures) {
        assertThat(f.join().statusCode(), is(200));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      // Serialised, 200 x 50 ms would be 10 s; the bound is loose because the client shares two cores with us.
      assertThat("seconds for " + n + " concurrent requests", seconds, lessThan(n * latencyMs / 1000.0 / 4));
    }
  }
}
