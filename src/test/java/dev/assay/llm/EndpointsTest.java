package dev.assay.llm;

import static dev.assay.llm.TestEndpoints.ENV;
import static dev.assay.llm.TestEndpoints.SECRET;
import static dev.assay.llm.TestEndpoints.chatBody;
import static dev.assay.llm.TestEndpoints.chatRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    Endpoints.closeAll();
    server.close();
  }

  private EndpointConfig config() {
    return new TestEndpoints.Cfg(server.url("/v1").toString()).build();
  }

  @Test
  void leasesOnTheSameEndpointShareOneClient() throws Exception {
    server.enqueue(new MockResponse.Builder().body(chatBody("ok", 2, 3)).build());
    LlmBackend first = Endpoints.shared("judge", config(), ENV);
    LlmBackend second = Endpoints.shared("judge", config(), ENV);

    first.chat(chatRequest()).get(10, TimeUnit.SECONDS);

    assertThat(Endpoints.openClients(), equalTo(1));
    assertThat(second.stats().requests(), equalTo(1L));
    assertThat(second.stats().completionTokens(), equalTo(3L));
    assertThat(first.toString(), containsString("judge"));
    assertThat(first.toString(), not(containsString(SECRET)));
  }

  @Test
  void anotherNameOrConfigGetsItsOwnClient() {
    Endpoints.shared("judge", config(), ENV);
    Endpoints.shared("policy", config(), ENV);
    TestEndpoints.Cfg narrower = new TestEndpoints.Cfg(server.url("/v1").toString());
    narrower.maxInFlight = 1;
    Endpoints.shared("judge", narrower.build(), ENV);

    assertThat(Endpoints.openClients(), equalTo(3));
  }

  @Test
  void theLastLeaseToCloseClosesTheClient() {
    LlmBackend first = Endpoints.shared("judge", config(), ENV);
    LlmBackend second = Endpoints.shared("judge", config(), ENV);

    first.close();
    first.close(); // idempotent: must not release the other lease's reference
    assertThat(Endpoints.openClients(), equalTo(1));
    assertThrows(IllegalStateException.class, () -> first.chat(chatRequest()));

    second.close();
    assertThat(Endpoints.openClients(), equalTo(0));
  }

  @Test
  void closeAllClosesClientsUnderOutstandingLeases() {
    LlmBackend lease = Endpoints.shared("judge", config(), ENV);

    Endpoints.closeAll();

    assertThat(Endpoints.openClients(), equalTo(0));
    assertThrows(IllegalStateException.class, () -> lease.chat(chatRequest()));
    lease.close(); // harmless after closeAll
  }

  @Test
  void unsharedClientsAreNotRegistered() {
    try (LlmBackend own = Endpoints.unshared(config(), ENV)) {
      assertThat(Endpoints.openClients(), equalTo(0));
      assertThat(own.toString(), org.hamcrest.Matchers.containsString(server.url("/v1").host()));
    }
  }
}
