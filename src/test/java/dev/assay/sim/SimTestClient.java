package dev.assay.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/** A plain java.net.http client for the simulator tests, plus the prompt shapes Assay's templates produce. */
final class SimTestClient {
  final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  final String baseUrl;

  SimTestClient(Simulator sim) {
    this.baseUrl = sim.baseUrl();
  }

  HttpResponse<String> post(String path, String body) {
    return post(path, body, Duration.ofSeconds(10));
  }

  HttpResponse<String> post(String path, String body, Duration timeout) {
    try {
      return http.send(postRequest(path, body, timeout), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest postRequest(String path, String body, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  HttpResponse<String> get(String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** POSTs and parses, failing the test on a non-200. */
  JsonNode postOk(String path, String body) {
    HttpResponse<String> r = post(path, body);
    if (r.statusCode() != 200) {
      throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
    }
    return parse(r.body());
  }

  static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String chatBody(String model, String userMessage, long seed, double temperature, int n) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("model", model);
    ArrayNode messages = root.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a helpful assistant.");
    messages.addObject().put("role", "user").put("content", userMessage);
    root.put("temperature", temperature);
    root.put("top_p", 1.0);
    root.put("max_tokens", 512);
    root.put("n", n);
    root.put("seed", seed);
    return Json.line(root);
  }

  /** The content of choice 0 of a chat completion. */
  String chat(String model, String userMessage, long seed) {
    return postOk("/chat/completions", chatBody(model, userMessage, seed, 0.8, 1))
        .at("/choices/0/message/content").asText();
  }

  /** An absolute-grading prompt shaped like Assay's Prometheus template. */
  static String absolutePrompt(String instruction, String response, String reference, int scaleMax) {
    StringBuilder b = new StringBuilder();
    b.append("###Task Description:\nAn instruction, a response to evaluate and a score rubric are given.\n")
        .append("1. Write detailed feedback that assesses the response strictly by the rubric.\n")
        .append("2. Then write a score that is an integer between 1 and ").append(scaleMax).append(".\n")
        .append("3. The output format should look as follows: \"Feedback: (feedback) [RESULT] (an integer)\"\n\n")
        .append("<instruction>\n").append(instruction).append("\n</instruction>\n\n")
        .append("<response>\n").append(response).append("\n</response>\n\n");
    if (reference != null) {
      b.append("<reference>\n").append(reference).append("\n</reference>\n\n");
    }
    b.append("###Score Rubrics:\n");
    for (int s = 1; s <= scaleMax; s++) {
      String description = s == 1 ? "unhelpful" : s == scaleMax ? "excellent" : "in between";
      b.append("Score ").append(s).append(": ").append(description).append('\n');
    }
    b.append("\n###Feedback:");
    return b.toString();
  }

  static String pairwisePrompt(String instruction, String a, String b) {
    return "###Task Description:\nCompare two responses to the instruction. Write feedback, then "
        + "\"[RESULT] A\", \"[RESULT] B\" or \"[RESULT] tie\".\n\n"
        + "<instruction>\n" + instruction + "\n</instruction>\n\n"
        + "<response_a>\n" + a + "\n</response_a>\n\n"
        + "<response_b>\n" + b + "\n</response_b>\n\n###Feedback:";
  }

  /** Spearman's rho with average ranks for ties. */
  static double spearman(double[] x, double[] y) {
    return pearson(ranks(x), ranks(y));
  }

  static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElseThrow();
    double my = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  private static double[] ranks(double[] v) {
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (p, q) -> Double.compare(v[p], v[q]));
    double[] r = new double[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        r[idx[k]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    return r;
  }

  /** A deterministic prompt for index i: varied topic words. */
  static String prompt(int i) {
    String[] topics = {
      "photosynthesis", "recursion", "inflation", "glaciers", "vaccines", "compilers", "democracy", "tectonics",
      "entropy", "bridges", "algebra", "volcanoes", "markets", "neurons", "orbits", "poetry", "rivers", "encryption"
    };
    return "Explain " + topics[i % topics.length] + " and " + topics[(i * 7 + 3) % topics.length]
        + " to a student, question number " + i + ".";
  }
}
