package dev.assay.llm;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MockWebServer per test and the client a test made for it, both closed after the test: register with
 * {@code @RegisterExtension final MockEndpoint endpoint = new MockEndpoint();}.
 */
final class MockEndpoint implements BeforeEachCallback, AfterEachCallback {
  private MockWebServer server;
  private LlmBackend client;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    server = new MockWebServer();
    server.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (client != null) {
      client.close();
      client = null;
    }
    server.close();
  }

  MockWebServer server() {
    return server;
  }

  /**
   * A client of the server, bound from recipe keys by {@link TestEndpoints#bound}, with no API key; {@code key} set to
   * {@code value}, or left out when the value is null.
   */
  LlmBackend client(String key, Object value) {
    if (client != null) {
      throw new IllegalStateException("one client per test");
    }
    Map<String, Object> keys = new HashMap<>();
    keys.put(key, value);
    client = Endpoints.unshared(TestEndpoints.bound(server.url("/v1").toString(), keys), name -> null);
    return client;
  }

  /** A client the test built itself for this server (its own endpoint keys), closed after the test like the others. */
  LlmBackend adopt(LlmBackend built) {
    if (client != null) {
      throw new IllegalStateException("one client per test");
    }
    client = built;
    return client;
  }
}
