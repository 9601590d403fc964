package dev.assay.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The two llama.cpp servers that {@code scripts/llama-server up} starts for the tests: the policy model and the
 * previous iteration's model, each a real {@code llama-server} on loopback serving a random-weights GGUF.
 *
 * <p>The servers are found through the state file the script writes ({@code KEY=value} lines): the system property
 * {@code assay.llamaState}, else the environment variable {@code ASSAY_LLAMA_STATE}, else {@code
 * target/llama-server.env} under the project directory. {@link #require()} also checks that both answer {@code
 * /health}, so a state file left behind by servers that have since exited is not mistaken for running servers.
 *
 * <p>When they are missing, the calling test is skipped with the command that builds and starts them, except under
 * CI (environment variable {@code CI} set), where it fails: CI starts the servers, so their absence there means the
 * real-server checks silently stopped running.
 *
 * @param policy the server of the model being trained
 * @param previous the server of the previous iteration's model (another seed: the two models disagree)
 * @param slots parallel slots per server ({@code -np}); requests beyond them queue inside the server
 * @param contextSize total context per server ({@code -c}), shared by its slots
 * @param commit the llama.cpp commit the servers were built from
 * @param version llama.cpp's own description of that commit ({@code git describe})
 */
public record LlamaServers(
    Server policy, Server previous, int slots, int contextSize, String commit, String version) {
  /** The command that builds llama-server (about 10 minutes the first time), writes the models and starts both. */
  public static final String START_COMMAND = "scripts/llama-server up";

  /** The default state file, relative to the project directory (the tests' working directory). */
  public static final Path DEFAULT_STATE = Path.of("target", "llama-server.env");

  /**
   * One server.
   *
   * @param baseUrl the server root including {@code /v1}, as an endpoint's {@code base_url}
   * @param model the name it serves ({@code --alias}); llama.cpp answers any requested name with this one
   */
  public record Server(String baseUrl, String model) {}

  /** The running servers, or the calling test is skipped (failed under CI) saying how to start them. */
  public static LlamaServers require() {
    return require(System::getenv);
  }

  static LlamaServers require(Function<String, String> env) {
    Path state = stateFile(env);
    LlamaServers servers;
    try {
      servers = read(state);
    } catch (MissingException e) {
      return missing(e.getMessage(), env);
    }
    for (Server s : new Server[] {servers.policy(), servers.previous()}) {
      String problem = health(s);
      if (problem != null) {
        return missing(
            "the " + s.model() + " server in " + state + " does not answer /health (" + problem + ")", env);
      }
    }
    return servers;
  }

  /** The state file this JVM would read. */
  static Path stateFile(Function<String, String> env) {
    String property = System.getProperty("assay.llamaState");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String variable = env.apply("ASSAY_LLAMA_STATE");
    return variable != null && !variable.isBlank() ? Path.of(variable) : DEFAULT_STATE;
  }

  /**
   * Reads a state file.
   *
   * @throws MissingException when the file is absent or lacks a key (the message names the file and the key)
   */
  static LlamaServers read(Path state) {
    if (!Files.isRegularFile(state)) {
      throw new MissingException("no llama-server state file at " + state.toAbsolutePath().normalize());
    }
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(state, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          String value = line.substring(eq + 1).trim();
          // The script single-quotes values with spaces, so that shells can source the file.
          if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            value = value.substring(1, value.length() - 1);
          }
          values.put(line.substring(0, eq).trim(), value);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Function<String, String> get =
        key -> {
          String v = values.get(key);
          if (v == null || v.isEmpty()) {
            throw new MissingException(state + " has no " + key + " (written by an older script? restart them)");
          }
          return v;
        };
    return new LlamaServers(
        new Server(get.apply("ASSAY_LLAMA_POLICY_URL"), get.apply("ASSAY_LLAMA_POLICY_MODEL")),
        new Server(get.apply("ASSAY_LLAMA_PREVIOUS_URL"), get.apply("ASSAY_LLAMA_PREVIOUS_MODEL")),
        Integer.parseInt(get.apply("ASSAY_LLAMA_SLOTS")),
        Integer.parseInt(get.apply("ASSAY_LLAMA_CTX")),
        get.apply("ASSAY_LLAMA_COMMIT"),
        get.apply("ASSAY_LLAMA_VERSION"));
  }

  /**
   * The environment an endpoint file such as {@code configs/endpoints/llama-cpp.yaml} reads: what the state file
   * holds, under the same names.
   */
  public Map<String, String> environment() {
    return Map.of(
        "ASSAY_LLAMA_POLICY_URL", policy.baseUrl(),
        "ASSAY_LLAMA_POLICY_MODEL", policy.model(),
        "ASSAY_LLAMA_PREVIOUS_URL", previous.baseUrl(),
        "ASSAY_LLAMA_PREVIOUS_MODEL", previous.model(),
        "ASSAY_LLAMA_SLOTS", Integer.toString(slots));
  }

  /** Skips the test, or fails it under CI; never returns normally. */
  static LlamaServers missing(String why, Function<String, String> env) {
    String message = why + "; build and start the real servers with: " + START_COMMAND;
    if (env.apply("CI") != null) {
      fail("CI is set but " + message);
    }
    assumeTrue(false, "skipped: " + message);
    throw new AssertionError("unreachable: assumeTrue(false) aborts the test");
  }

  /** Null when the server answers {@code GET /health} with 200, else what went wrong. */
  private static String health(Server server) {
    String root = server.baseUrl().replaceAll("/v1/?$", "");
    OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
    try (Response r = http.newCall(new Request.Builder().url(root + "/health").get().build()).execute()) {
      return r.code() == 200 ? null : "HTTP " + r.code();
    } catch (IOException | IllegalArgumentException e) {
      return e.toString();
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /** The servers are not there: no state file, or one without a key the tests need. */
  static final class MissingException extends RuntimeException {
    MissingException(String message) {
      super(message);
    }
  }
}
