package dev.assay.llm;

import static dev.assay.llm.TestEndpoints.ENV;
import static dev.assay.llm.TestEndpoints.KEY_VAR;
import static dev.assay.llm.TestEndpoints.chatBody;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connect, first-byte and total timeouts are separate endpoint keys, and a timeout fails the call as a
 * {@link RequestTimeoutException} whose message names the timeout that fired; {@code read_timeout_ms} alone keeps its
 * old meaning.
 */
class SeparateTimeoutsTest {
  @RegisterExtension final MockEndpoint endpoint = new MockEndpoint();
  private MockWebServer server;
  private LlmBackend client;

  @BeforeEach
  void server() {
    server = endpoint.server();
  }

  private LlmBackend client(Long readMs, Long firstByteMs, Long totalMs) {
    client =
        endpoint.adopt(Endpoints.unshared(
            new EndpointConfig(server.url("/v1").toString(), "test-model", KEY_VAR, 4, 0, 0, 0, 1L, 10L, 2_000L, readMs,
                0L, 0.0, 0.0, 0.0, null, null, firstByteMs, totalMs),
            ENV));
    return client;
  }

  private Throwable failure() throws Exception {
    ChatRequest r = new ChatRequest("test-model", List.of(ChatMessage.user("q")), 0.0, 1.0, 8, 1, 1L);
    try {
      client.chat(r).get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a timeout");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void theFirstByteTimeoutIsItsOwnLimitAndReason() throws Exception {
    server.enqueue(new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body(chatBody("late", 1, 1)).build());
    client(10_000L, 300L, null);
    long t0 = System.nanoTime();
    Throwable e = failure();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(e, instanceOf(RequestTimeoutException.class));
    assertThat(e.getMessage(), containsString("no first byte within 300 ms (first_byte_timeout_ms)"));
    assertThat("well before the 10 s read timeout", ms, lessThan(2_500L));
  }

  @Test
  void theTotalTimeoutBoundsASlowBody() throws Exception {
    // Headers at once, then the body one small chunk every 100 ms: no single read waits long, the whole does.
    server.enqueue(
        new MockResponse.Builder().setHeader("Content-Type", "application/json").body(chatBody("slow", 1, 1))
            .throttleBody(16, 100, TimeUnit.MILLISECONDS).build());
    client(1_000L, null, 500L);
    Throwable e = failure();
    assertThat(e, instanceOf(RequestTimeoutException.class));
    assertThat(e.getMessage(), containsString("total_timeout_ms"));
  }

  @Test
  void readTimeoutAloneKeepsItsMeaning() throws Exception {
    server.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).body(chatBody("late", 1, 1)).build());
    client(300L, null, null);
    Throwable e = failure();
    assertThat(e, instanceOf(RequestTimeoutException.class));
    assertThat(e.getMessage(), containsString("(read_timeout_ms)"));
    EndpointConfig defaults = EndpointConfig.of("http://h/v1", "m");
    assertThat(defaults.firstByteTimeoutMs(), is(defaults.readTimeoutMs()));
    assertThat(defaults.totalTimeoutMs(), is(defaults.connectTimeoutMs() + 2 * defaults.readTimeoutMs()));
  }
}
