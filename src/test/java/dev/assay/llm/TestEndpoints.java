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
