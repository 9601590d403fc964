package dev.assay.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of the simulator that records the {@code Authorization} header of every request
 * (the simulator does not keep headers) and, like some real servers, echoes the key back in error bodies: every
 * {@code echoEvery}-th request gets a 500 (retryable) and request number {@code rejectAt} a 401 (not retryable), both
 * quoting the key. So a test can show the key was really sent and that an echoed key is scrubbed before it reaches a
 * failure record, a judgment or a log line.
 */
final class HeaderRecordingProxy implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String target;
  private final String key;
  private final int echoEvery;
  private final int rejectAt;
  private final AtomicInteger count = new AtomicInteger();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger echoed = new AtomicInteger();

  private HeaderRecordingProxy(String target, String key, int echoEvery, int rejectAt) throws IOException {
    this.target = target.replaceAll("/+$", "");
    this.key = key;
    this.echoEvery = echoEvery;
    this.rejectAt = rejectAt;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Forwards to {@code targetBaseUrl} (e.g. the simulator's {@code http://127.0.0.1:P/v1}). */
  static HeaderRecordingProxy start(String targetBaseUrl, String key, int echoEvery, int rejectAt) throws IOException {
    return new HeaderRecordingProxy(targetBaseUrl, key, echoEvery, rejectAt);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The Authorization header of every request received, in arrival order ("" when absent). */
  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** How many error bodies quoted the key. */
  int echoed() {
    return echoed.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      byte[] body = ex.getRequestBody().readAllBytes();
      int n = count.incrementAndGet();
      if (n == rejectAt || n % echoEvery == 0) {
        int status = n == rejectAt ? 401 : 500;
        echoed.incrementAndGet();
        String message = "Incorrect API key provided: " + key + ". You can find your API key in your account settings.";
        reply(ex, status, ("{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}")
            .getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = ex.getRequestURI().getPath().replaceFirst("^/v1", "");
      HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + path))
          .header("Content-Type", "application/json");
      if (ex.getRequestMethod().equals("POST")) {
        forward.POST(HttpRequest.BodyPublishers.ofByteArray(body));
      } else {
        forward.GET();
      }
      HttpResponse<byte[]> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      reply(ex, answer.statusCode(), answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
