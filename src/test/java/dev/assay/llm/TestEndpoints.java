package dev.assay.llm;

import java.util.Map;
import java.util.function.Function;

/** Test fixtures: endpoint configs with fast backoffs, canned OpenAI bodies, and a fake environment. */
final class TestEndpoints {
  static final String KEY_VAR = "ASSAY_TEST_KEY";
  static final String SECRET = "sk-test-S3cr3tV4lue-do-not-print";
  static final Function<String, String> ENV = Map.of(KEY_VAR, SECRET)::get;

  private TestEndpoints() {}

  /** A fluent, test-only way to set the few limits a test cares about; the rest are fast, small defaults. */
  static final class Cfg {
    final String baseUrl;
    String apiKeyEnv = KEY_VAR;
    int maxInFlight = 16;
    int requestsPerMinute;
    int tokensPerMinute;
    int maxRetries = 3;
    long initialBackoffMs = 1;
    long maxBackoffMs = 20;
    long connectTimeoutMs = 2_000;
    long readTimeoutMs = 5_000;
    long budgetTokens;
    double budgetCost;
    double inputCostPerMillion;
    double outputCostPerMillion;
    // chatBody's server names its model "served-model" while requests ask for "test-model".
    String servedModel = "served-model";

    Cfg(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    EndpointConfig build() {
      return new EndpointConfig(
          baseUrl,
          "test-model",
          apiKeyEnv,
          maxInFlight,
          requestsPerMinute,
          tokensPerMinute,
          maxRetries,
          initialBackoffMs,
          maxBackoffMs,
          connectTimeoutMs,
          readTimeoutMs,
          budgetTokens,
          budgetCost,
          inputCostPerMillion,
          outputCostPerMillion,
          null,
          servedModel);
    }
  }

  /**
   * An endpoint bound from recipe keys the way a recipe's YAML is bound (so a key is tested under its documented
   * name): {@code test-model} at {@code baseUrl}, 5 retries 1-5 ms apart, a 2 s read timeout, no API key; {@code
   * keys} adds or overrides keys, a null value leaves one out.
   */
  static EndpointConfig bound(String baseUrl, Map<String, Object> keys) {
    Map<String, Object> yaml = new java.util.LinkedHashMap<>();
    yaml.put("base_url", baseUrl);
    yaml.put("model", "test-model");
    yaml.put("max_retries", 5);
    yaml.put("initial_backoff_ms", 1);
    yaml.put("max_backoff_ms", 5);
    yaml.put("read_timeout_ms", 2000);
    yaml.putAll(keys);
    yaml.values().removeIf(java.util.Objects::isNull);
    return dev.assay.io.Json.mapper().convertValue(yaml, EndpointConfig.class);
  }

  static String chatBody(String content, long promptTokens, long completionTokens) {
    return """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"served-model",
         "system_fingerprint":"fp","choices":[{"index":0,"message":{"role":"assistant","content":"%s",
         "tool_calls":[]},"logprobs":null,"finish_reason":"stop","stop_reason":null}],
         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,"prompt_tokens_details":null}}
        """
        .formatted(content, promptTokens, completionTokens, promptTokens + completionTokens);
  }

  static ChatRequest chatRequest() {
    return new ChatRequest(
        "test-model",
        java.util.List.of(ChatMessage.system("You judge."), ChatMessage.user("Which is better, A or B?")),
        0.7,
        0.95,
        64,
        1,
        42L);
  }
}
