package dev.assay.llm;

import static dev.assay.llm.TestEndpoints.chatRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, failure 5: llama-server answered one seeded request with the same HTTP 500 and the same error body on
 * every attempt (random weights produced bytes it could not encode), and Assay retried it to the limit: 222 wasted
 * retries in one run. With the endpoint option {@code stop_on_repeated_error: true}, a request whose error answer
 * repeats with the same status and body is not retried further, and its failure says why. Off by default.
 */
class RepeatedErrorTest {
  private static final String SAME_500 = "{\"error\":{\"code\":500,\"message\":\"invalid UTF-8 at token 17\",\"type\":\"server_error\"}}";

  @RegisterExtension final MockEndpoint endpoint = new MockEndpoint();
  private MockWebServer server;
  private LlmBackend client;

  /** 5 retries; {@code stop_on_repeated_error} left out when null. */
  private void client(Boolean stopOnRepeatedError) {
    server = endpoint.server();
    client = endpoint.client("stop_on_repeated_error", stopOnRepeatedError);
  }

  private void answerAlways(int code, java.util.function.IntFunction<String> body) {
    AtomicInteger n = new AtomicInteger();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(code).body(body.apply(n.getAndIncrement())).build();
          }
        });
  }

  private LlmException failure() throws Exception {
    try {
      client.chat(chatRequest()).get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      assertThat(e.getCause(), instanceOf(LlmException.class));
      return (LlmException) e.getCause();
    }
  }

  @Test
  void theSame500TwiceStopsTheRetries() throws Exception {
    client(true);
    answerAlways(500, i -> SAME_500);
    LlmException e = failure();
    assertThat(e, instanceOf(ServerErrorException.class));
    assertThat(server.getRequestCount(), is(2));
    assertThat(e.attempts(), is(2));
    assertThat(e.getMessage(), containsString("invalid UTF-8 at token 17"));
    assertThat(e.getMessage(), containsString("the same answer twice"));
    assertThat(e.getMessage(), containsString("stop_on_repeated_error"));
  }

  @Test
  void differing500sAreRetriedToTheLimit() throws Exception {
    client(true);
    answerAlways(500, i -> "{\"error\":{\"message\":\"worker " + i + " crashed\"}}");
    LlmException e = failure();
    assertThat(server.getRequestCount(), is(6));
    assertThat(e.getMessage(), not(containsString("stop_on_repeated_error")));
  }

  @Test
  void unavailableIsTransientAndRetriedEvenWhenItRepeats() throws Exception {
    // 503 (and 502, 504) say "try later" by definition: a server still loading its model answers them identically.
    client(true);
    answerAlways(503, i -> "{\"error\":{\"message\":\"Loading model\"}}");
    failure();
    assertThat(server.getRequestCount(), is(6));
  }

  @Test
  void offByDefault() throws Exception {
    client(null);
    answerAlways(500, i -> SAME_500);
    failure();
    assertThat(server.getRequestCount(), is(6));
  }
}
