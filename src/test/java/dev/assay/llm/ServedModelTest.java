package dev.assay.llm;

import static dev.assay.llm.TestEndpoints.chatBody;
import static dev.assay.llm.TestEndpoints.chatRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, failure 3: llama-server serves whatever model it was started with and names it in every response, but
 * Assay never compared that name with the one it asked for, so a wrong model went unnoticed and candidates and
 * manifest recorded the requested name. A response's {@code model} matches when it equals the request, when it is the
 * request plus a dated snapshot suffix (OpenAI answers {@code gpt-4o} as {@code gpt-4o-2024-08-06}), or when it equals
 * the endpoint's {@code served_model}; otherwise the call fails with its own reason, without retries (the server
 * would answer the same), and the tokens it cost are still counted.
 */
class ServedModelTest {
  @RegisterExtension final MockEndpoint endpoint = new MockEndpoint();
  private MockWebServer server;
  private LlmBackend client;

  /** {@code test-model} requested (as {@link TestEndpoints#chatRequest()} does); {@code served_model} as given. */
  private void client(String servedModel) {
    server = endpoint.server();
    client = endpoint.client("served_model", servedModel);
  }

  /** Queues one answer: a retry would find none and time out, so a test that expects no retry sees one. */
  private void answerAs(String model) {
    server.enqueue(
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body(chatBody("an answer", 12, 3).replace("\"served-model\"", "\"" + model + "\"")).build());
  }

  private ChatResponse chat() throws Exception {
    return client.chat(chatRequest()).get(10, TimeUnit.SECONDS);
  }

  private Throwable chatFailure() throws Exception {
    try {
      ChatResponse r = chat();
      throw new AssertionError("expected a failure, got model " + r.model());
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void theRequestedModelMatches() throws Exception {
    client(null);
    answerAs("test-model");
    assertThat(chat().model(), is("test-model"));
  }

  @Test
  void aDatedSnapshotOfTheRequestedModelMatchesAndIsRecorded() throws Exception {
    client(null);
    answerAs("test-model-2024-08-06");
    assertThat(chat().model(), is("test-model-2024-08-06"));
    answerAs("test-model-20240806");
    assertThat(chat().model(), is("test-model-20240806"));
  }

  @Test
  void anotherModelFailsTheCallWithoutRetryNamingBothAndTheFix() throws Exception {
    client(null);
    answerAs("tiny-random-llama");
    Throwable e = chatFailure();
    assertThat(e.getClass().getSimpleName(), is("WrongModelException"));
    assertThat(e.getMessage(), allOf(containsString("tiny-random-llama"), containsString("test-model"), containsString("served_model")));
    assertThat(((LlmException) e).retryable(), is(false));
    assertThat(((LlmException) e).attempts(), is(1));
    assertThat(server.getRequestCount(), is(1));
    // The server generated the answer: what it cost is counted even though the answer is refused.
    assertThat(client.stats().completionTokens(), is(3L));
  }

  @Test
  void aSuffixThatIsNotADateIsAnotherModel() throws Exception {
    client(null);
    for (String other : List.of("test-model-v2", "test-model-2024-8-6", "test-model-mini", "test")) {
      answerAs(other);
      assertThat(other, chatFailure().getClass().getSimpleName(), is("WrongModelException"));
    }
  }

  @Test
  void theEndpointsServedModelMatches() throws Exception {
    client("tiny-random-llama");
    answerAs("tiny-random-llama");
    assertThat(chat().model(), is("tiny-random-llama"));
  }

  @Test
  void completionsAreCheckedToo() throws Exception {
    client(null);
    server.enqueue(
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body("{\"model\":\"other\",\"choices\":[{\"index\":0,\"text\":\"x\",\"finish_reason\":\"length\"}]}").build());
    try {
      client.complete(new CompletionRequest("test-model", "prompt", 1, false, null, 0.0, null)).get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      assertThat(e.getCause().getClass().getSimpleName(), is("WrongModelException"));
    }
  }

  @Test
  void aResponseThatNamesNoModelIsTakenAsTheRequestedOne() throws Exception {
    client(null);
    server.enqueue(
        new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}")
            .build());
    assertThat(chat().model(), is("test-model"));
  }
}
