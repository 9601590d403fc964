package dev.assay.llm;

import static dev.assay.llm.TestEndpoints.ENV;
import static dev.assay.llm.TestEndpoints.chatBody;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * AIMD below {@code max_in_flight} ({@link AdaptiveWindow}): a server with one slot, answering 503 to any request
 * beyond it, is sent 48 calls at {@code max_in_flight} 16; every call succeeds with at most 2 refusals per call on
 * average (without adapting, refusals run into the hundreds), because the window
 * shrinks to what the server takes and the calls beyond it wait in the client, where they spend no attempt.
 */
class AdaptiveConcurrencyTest {
  @RegisterExtension final MockEndpoint endpoint = new MockEndpoint();
  private MockWebServer server;
  private LlmBackend client;

  @BeforeEach
  void server() {
    server = endpoint.server();
  }

  private static ChatRequest request(int i) {
    return new ChatRequest("test-model", List.of(ChatMessage.user("q" + i)), 0.0, 1.0, 8, 1, (long) i);
  }

  @Test
  void sixteenInFlightAgainstAOneSlotServerCompleteWithoutFailures() throws Exception {
    AtomicInteger busy = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            int now = busy.incrementAndGet();
            try {
              if (now > 1) {
                refused.incrementAndGet();
                return new MockResponse.Builder().code(503).body("{\"error\":{\"message\":\"no free slot\"}}").build();
              }
              peak.accumulateAndGet(now, Math::max);
              Thread.sleep(5); // the slot is busy generating
              return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                  .body(chatBody("ok", 3, 1)).build();
            } finally {
              busy.decrementAndGet();
            }
          }
        });
    TestEndpoints.Cfg cfg = new TestEndpoints.Cfg(server.url("/v1").toString());
    cfg.maxInFlight = 16;
    // At the slot boundary the window steps between 1 and 2, so about every other attempt there is refused: a call
    // can meet several refusals in a row (1 in 64 for six), and 48 calls at 5 retries failed now and then under load.
    // The bound on refusals below is what shows the window adapting: without it they run into the hundreds.
    cfg.maxRetries = 20;
    cfg.initialBackoffMs = 1;
    cfg.maxBackoffMs = 10;
    client = endpoint.adopt(Endpoints.unshared(cfg.build(), ENV));

    List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      calls.add(client.chat(request(i)));
    }
    int failed = 0;
    for (CompletableFuture<ChatResponse> c : calls) {
      try {
        c.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        failed++;
      }
    }

    assertThat("calls failed; 503s seen: " + refused.get(), failed, is(0));
    assertThat("the server did refuse at first", refused.get(), greaterThan(0));
    // Each refusal cost an attempt; far fewer than 16-wide retries would have cost.
    assertThat(client.stats().retries(), is((long) refused.get()));
    assertThat(refused.get(), lessThanOrEqualTo(48 * 2));
  }

  @Test
  void theWindowHalvesOncePerBurstAndGrowsByOnePerWindowOfSuccesses() {
    AdaptiveWindow w = new AdaptiveWindow(16);
    List<AdaptiveWindow.Permit> permits = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      w.submit(permits::add);
    }
    assertThat(permits.size(), is(16));
    List<AdaptiveWindow.Permit> queued = new ArrayList<>();
    w.submit(queued::add);
    assertThat("no room: queued, not run", queued.size(), is(0));
    // Fifteen refusals of one burst halve the window once.
    for (int i = 0; i < 15; i++) {
      permits.get(i).done(AdaptiveWindow.Signal.CONGESTION);
    }
    assertThat(w.limit(), is(8));
    assertThat(w.decreases(), is(1L));
    assertThat("the queued attempt got the freed room", queued.size(), is(1));
    // Eight successes at a window of 8 grow it by one.
    permits.get(15).done(AdaptiveWindow.Signal.SUCCESS);
    queued.get(0).done(AdaptiveWindow.Signal.SUCCESS);
    List<AdaptiveWindow.Permit> more = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      w.submit(more::add);
    }
    more.forEach(p -> p.done(AdaptiveWindow.Signal.SUCCESS));
    assertThat(w.limit(), is(9));
    // A signal from the new epoch halves again; the floor is 1.
    for (int round = 0; round < 6; round++) {
      List<AdaptiveWindow.Permit> one = new ArrayList<>();
      w.submit(one::add);
      one.get(0).done(AdaptiveWindow.Signal.CONGESTION);
    }
    assertThat(w.limit(), is(1));
    assertThat(w.inFlight(), is(0));
  }

  @Test
  void aFloorKeepsTheWindowFromHalvingBelowMinInFlight() {
    AdaptiveWindow w = new AdaptiveWindow(12, 16);
    for (int round = 0; round < 6; round++) {
      List<AdaptiveWindow.Permit> one = new ArrayList<>();
      w.submit(one::add);
      one.get(0).done(AdaptiveWindow.Signal.CONGESTION);
    }
    assertThat("16 halves to 8, held at 12", w.limit(), is(12));
    assertThat(new AdaptiveWindow(16, 16).limit(), is(16));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new AdaptiveWindow(17, 16));
    // The endpoint key: at most max_in_flight, default 1.
    assertThat(EndpointConfig.of("http://127.0.0.1:1/v1", "m").minInFlight(), is(1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new EndpointConfig(
        "http://127.0.0.1:1/v1", "m", null, 8, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, 9));
  }
}
