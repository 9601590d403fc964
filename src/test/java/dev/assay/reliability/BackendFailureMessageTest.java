package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.assay.bench.SmallRecipe;
import java.net.ServerSocket;
import java.nio.file.Path;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, failure 6: when every request of a stage failed, the run exited 3 asking "is the backend reachable?",
 * also for 401, 400 and 500 answers from a server that was plainly reached. The message must tell an unreachable
 * backend (nothing answered) from a rejecting one (4xx: the status and the server's own words) and a failing one
 * (5xx), so the user fixes the right thing.
 */
@Timeout(60)
class BackendFailureMessageTest {
  @TempDir Path tmp;

  private Cli.Result runAgainst(String baseUrl) throws Exception {
    // No retries: each call is one request, and the message does not depend on how many were tried.
    Path recipe = SmallRecipe.in(tmp).prompts(2).k(2).n(1).endpoint("max_retries", 0).write(baseUrl);
    return Cli.run(Cli.runArgs(recipe, tmp.resolve("run"), false, "endpoints.policy.read_timeout_ms=2000"));
  }

  private Cli.Result answeredWith(int code, String body) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
            }
          });
      server.start();
      return runAgainst(server.url("/v1").toString());
    }
  }

  private static Matcher<String> doesNotAskAboutReachability() {
    return not(containsString("reachable"));
  }

  @Test
  void aRejectedKeyIsNamedWithTheServersWords() throws Exception {
    Cli.Result r = answeredWith(401, "{\"error\":{\"message\":\"Invalid API key provided\",\"type\":\"invalid_request_error\"}}");
    assertThat(r.toString(), r.exit(), is(3));
    assertThat(r.out(), allOf(containsString("server rejected"), containsString("401"), containsString("Invalid API key provided")));
    assertThat(r.out(), containsString("generate"));
    assertThat(r.out(), doesNotAskAboutReachability());
  }

  @Test
  void aBadRequestIsNamedWithTheServersWords() throws Exception {
    Cli.Result r = answeredWith(400, "{\"error\":{\"message\":\"model 'sim-m0' not found\"}}");
    assertThat(r.toString(), r.exit(), is(3));
    assertThat(r.out(), allOf(containsString("server rejected"), containsString("400"), containsString("model 'sim-m0' not found")));
    assertThat(r.out(), doesNotAskAboutReachability());
  }

  @Test
  void aFailingServerIsCalledFailing() throws Exception {
    Cli.Result r = answeredWith(500, "{\"error\":{\"message\":\"CUDA error: out of memory\"}}");
    assertThat(r.toString(), r.exit(), is(3));
    assertThat(r.out(), allOf(containsString("failing"), containsString("500"), containsString("CUDA error: out of memory")));
    assertThat(r.out(), doesNotAskAboutReachability());
  }

  @Test
  void anUnreachableBackendIsCalledUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Cli.Result r = runAgainst("http://127.0.0.1:" + port + "/v1");
    assertThat(r.toString(), r.exit(), is(3));
    assertThat(r.out(), allOf(containsString("unreachable"), containsString("127.0.0.1:" + port)));
    // Not "rejected" alone: every stage line reads "rejected 0".
    assertThat(r.out(), not(containsString("server rejected")));
  }
}
