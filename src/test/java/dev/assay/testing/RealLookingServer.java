package dev.assay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback OpenAI-compatible server that says it is not Assay's simulator: its model list names one model
 * {@code owned_by: "vllm"}, and a chat completion asking for {@code
 * response_format} is refused with 400 (no structured output), and the n-th other one answers {@code "Fine. [RESULT] s"}
 * with s = 1 + n mod 5, so that a few judgments of one prompt differ. It counts the POSTs it answered, so
 * a test can prove that a refused run sent nothing. Close it after use.
 */
public final class RealLookingServer implements AutoCloseable {
  private final HttpServer server;
  private final String model;
  private final AtomicLong posts = new AtomicLong();

  private RealLookingServer(HttpServer server, String model) {
    this.server = server;
    this.model = model;
  }

  /** Starts a server for {@code model} on a free loopback port. */
  public static RealLookingServer start(String model) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    RealLookingServer s = new RealLookingServer(http, model);
    http.createContext("/v1/models", ex -> s.answer(ex, 200, s.modelList()));
    http.createContext("/v1/chat/completions", ex -> {
      long n = s.posts.incrementAndGet();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (body.contains("response_format")) {
        // Like a server without structured output (older vLLM builds, many proxies): the field is refused.
        s.answer(ex, 400, "{\"error\": {\"message\": \"response_format is not supported\"}}");
        return;
      }
      s.answer(ex, 200, s.chat(1 + (int) (n % 5)));
    });
    http.createContext("/v1/completions", ex -> {
      s.posts.incrementAndGet();
      s.answer(ex, 404, "{\"error\": {\"message\": \"no completions here\"}}");
    });
    http.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "real-looking-server");
      t.setDaemon(true);
      return t;
    }));
    http.start();
    return s;
  }

  /** The root including {@code /v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** POSTs answered so far (chat and completions). */
  public long posts() {
    return posts.get();
  }

  private String modelList() {
    return "{\"object\": \"list\", \"data\": [{\"id\": \"" + model + "\", \"object\": \"model\", \"owned_by\": \"vllm\"}]}";
  }

  private String chat(int score) {
    return "{\"id\": \"c\", \"object\": \"chat.completion\", \"model\": \"" + model + "\", \"choices\": [{\"index\": 0,"
        + " \"message\": {\"role\": \"assistant\", \"content\": \"Fine. [RESULT] " + score + "\"}, \"finish_reason\": \"stop\"}],"
        + " \"usage\": {\"prompt_tokens\": 10, \"completion_tokens\": 3}}";
  }

  private void answer(HttpExchange ex, int status, String body) throws IOException {
    ex.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
