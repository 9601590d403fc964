package dev.assay.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed request into the reply body, without any HTTP: validation (400/404 as {@link SimRequestException}),
 * task detection, and the policy, judge and scorer. Thread-safe and pure apart from its immutable configuration; the
 * same request always yields the same bytes.
 */
final class SimEngine {
  // What the simulator says of itself: runs recognise a simulated endpoint by it, not by a model-name prefix.
  static final String OWNER = dev.assay.llm.ListedModel.SIMULATOR;
  private static final long TAG_POLICY = SimHash.of("policy");
  private static final long TAG_JUDGE = SimHash.of("judge");
  private static final long TAG_COMPLETION = SimHash.of("completion");
  private static final int MAX_N = 128;

  private final long worldSeed;
  private final Map<String, ModelProfile> models = new LinkedHashMap<>();
  private final SimPolicy policy;
  private final SimJudge judge;
  private final SimLogprobs scorer;

  SimEngine(SimulatorConfig config) {
    this.worldSeed = config.worldSeed();
    config.models().forEach(m -> models.put(m.name(), m));
    this.policy = new SimPolicy(worldSeed);
    this.judge = new SimJudge(worldSeed, models);
    this.scorer = new SimLogprobs(worldSeed, models);
  }

  record Message(String role, String content) {}

  /** A validated request, ready to answer. */
  sealed interface Call permits ChatCall, CompletionCall {
    ModelProfile model();
  }

  record ChatCall(ModelProfile model, List<Message> messages, double temperature, int maxTokens, int n, long seed)
      implements Call {}

  record CompletionCall(
      ModelProfile model,
      String prompt,
      int maxTokens,
      boolean echo,
      Integer logprobs,
      double temperature,
      int n,
      long seed)
      implements Call {}

  ObjectNode modelList() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    models.keySet().forEach(id -> data.add(modelCard(id)));
    return root;
  }

  ObjectNode modelCard(String id) {
    ObjectNode m = Json.mapper().createObjectNode();
    m.put("id", id);
    m.put("object", "model");
    m.put("created", 0);
    m.put("owned_by", OWNER);
    return m;
  }

  boolean serves(String id) {
    return models.containsKey(id);
  }

  // ---------------------------------------------------------------- parsing

  ChatCall parseChat(JsonNode root) throws SimRequestException {
    requireObject(root);
    ModelProfile model = model(root);
    rejectStreaming(root);
    JsonNode msgs = root.get("messages");
    if (msgs == null || !msgs.isArray() || msgs.isEmpty()) {
      throw SimRequestException.invalid("messages", "messages must be a non-empty array");
    }
    List<Message> messages = new ArrayList<>();
    for (JsonNode m : msgs) {
      if (!m.isObject() || !m.path("role").isTextual()) {
        throw SimRequestException.invalid("messages", "each message needs a string role");
      }
      messages.add(new Message(m.get("role").asText(), content(m.get("content"))));
    }
    double temperature = number(root, "temperature", 1.0, 0, 2);
    number(root, "top_p", 1.0, Double.MIN_VALUE, 1);
    int maxTokens = integer(root, "max_tokens", integer(root, "max_completion_tokens", Integer.MAX_VALUE, 1), 1);
    int n = integer(root, "n", 1, 1);
    if (n > MAX_N) {
      throw SimRequestException.invalid("n", "n must be at most " + MAX_N);
    }
    return new ChatCall(model, List.copyOf(messages), temperature, maxTokens, n, seed(root));
  }

  CompletionCall parseCompletion(JsonNode root) throws SimRequestException {
    requireObject(root);
    ModelProfile model = model(root);
    rejectStreaming(root);
    JsonNode p = root.get("prompt");
    if (p != null && p.isArray() && p.size() == 1) {
      p = p.get(0);
    }
    if (p == null || !p.isTextual()) {
      throw SimRequestException.invalid("prompt", "prompt must be a string (or an array of exactly one string)");
    }
    double temperature = number(root, "temperature", 1.0, 0, 2);
    number(root, "top_p", 1.0, Double.MIN_VALUE, 1);
    int maxTokens = integer(root, "max_tokens", 16, 0);
    JsonNode echo = root.get("echo");
    if (echo != null && !echo.isNull() && !echo.isBoolean()) {
      throw SimRequestException.invalid("echo", "echo must be a boolean");
    }
    JsonNode lp = root.get("logprobs");
    Integer logprobs;
    if (lp == null || lp.isNull() || (lp.isBoolean() && !lp.booleanValue())) {
      logprobs = null;
    } else if (lp.isBoolean()) {
      logprobs = 0;
    } else if (lp.isIntegralNumber() && lp.asInt() >= 0 && lp.asInt() <= 20) {
      logprobs = lp.asInt();
    } else {
      throw SimRequestException.invalid("logprobs", "logprobs must be an integer in [0, 20] or null");
    }
    int n = integer(root, "n", 1, 1);
    if (n > MAX_N) {
      throw SimRequestException.invalid("n", "n must be at most " + MAX_N);
    }
    return new CompletionCall(
        model, p.asText(), maxTokens, echo != null && echo.asBoolean(), logprobs, temperature, n, seed(root));
  }

  private static void requireObject(JsonNode root) throws SimRequestException {
    if (root == null || !root.isObject()) {
      throw SimRequestException.invalid(null, "the request body must be a JSON object");
    }
  }

  private ModelProfile model(JsonNode root) throws SimRequestException {
    JsonNode m = root.get("model");
    if (m == null || !m.isTextual()) {
      throw SimRequestException.invalid("model", "model must be a string");
    }
    ModelProfile profile = models.get(m.asText());
    if (profile == null) {
      throw new SimRequestException(
          404, "invalid_request_error", "model", "model_not_found",
          "The model `" + m.asText() + "` does not exist on this simulator (served: "
              + String.join(", ", models.keySet()) + ")");
    }
    return profile;
  }

  private static void rejectStreaming(JsonNode root) throws SimRequestException {
    if (root.path("stream").asBoolean(false)) {
      throw SimRequestException.invalid("stream", "the simulator does not stream; send stream=false");
    }
  }

  private static String content(JsonNode c) throws SimRequestException {
    if (c == null || c.isNull()) {
      return "";
    }
    if (c.isTextual()) {
      return c.asText();
    }
    if (c.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode part : c) {
        if (!part.path("text").isTextual()) {
          throw SimRequestException.invalid("messages", "content parts must be text parts");
        }
        parts.add(part.get("text").asText());
      }
      return String.join("\n", parts);
    }
    throw SimRequestException.invalid("messages", "message content must be a string or an array of text parts");
  }

  private static double number(JsonNode root, String field, double fallback, double min, double max)
      throws SimRequestException {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isNumber() || n.doubleValue() < min || n.doubleValue() > max) {
      throw SimRequestException.invalid(field, field + " must be a number in [" + min + ", " + max + "]");
    }
    return n.doubleValue();
  }

  private static int integer(JsonNode root, String field, int fallback, int min) throws SimRequestException {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min) {
      throw SimRequestException.invalid(field, field + " must be an integer >= " + min);
    }
    return n.intValue();
  }

  /** A missing seed is seed 0: unlike a real server, the simulator is deterministic even without one. */
  private static long seed(JsonNode root) throws SimRequestException {
    JsonNode s = root.get("seed");
    if (s == null || s.isNull()) {
      return 0;
    }
    if (!s.isIntegralNumber() || !s.canConvertToLong()) {
      throw SimRequestException.invalid("seed", "seed must be an integer");
    }
    return s.longValue();
  }

  // ---------------------------------------------------------------- answers

  ObjectNode answerChat(ChatCall call, String id) {
    String lastUser = null;
    StringBuilder system = new StringBuilder();
    long contentHash = SimHash.of(call.model().name());
    int promptTokens = 0;
    for (Message m : call.messages()) {
      contentHash = SimHash.key(contentHash, SimHash.of(m.role()), SimHash.of(m.content()));
      promptTokens += SimWorld.wordCount(m.content());
      if (m.role().equals("user")) {
        lastUser = m.content();
      } else if (m.role().equals("system")) {
        system.append(m.content()).append('\n');
      }
    }
    if (lastUser == null) {
      lastUser = call.messages().get(call.messages().size() - 1).content();
    }
    JudgeTask task = JudgeTask.detect(lastUser, system.toString());
    // Temperature 0 is greedy decoding: every choice and every seed gives the same answer, as on a real server.
    boolean greedy = call.temperature() == 0;
    ObjectNode root = header(id, "chat.completion", call.model());
    ArrayNode choices = root.putArray("choices");
    int completionTokens = 0;
    for (int i = 0; i < call.n(); i++) {
      long tag = task.kind() == JudgeTask.Kind.POLICY ? TAG_POLICY : TAG_JUDGE;
      long key =
          greedy
              ? SimHash.key(worldSeed, tag, contentHash)
              : SimHash.key(worldSeed, tag, contentHash, call.seed(), i);
      Generated g =
          switch (task.kind()) {
            case ABSOLUTE -> judge.absolute(call.model(), task, new SimDraws(key));
            case PAIRWISE -> judge.pairwise(call.model(), task, new SimDraws(key));
            case POLICY -> new Generated(policy.respond(call.model(), lastUser, key, greedy), "stop");
          };
      g = limitWords(g, call.maxTokens());
      completionTokens += SimWorld.wordCount(g.text());
      ObjectNode choice = choices.addObject();
      choice.put("index", i);
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", g.text());
      choice.putNull("logprobs");
      choice.put("finish_reason", g.finishReason());
    }
    usage(root, promptTokens, completionTokens);
    return root;
  }

  ObjectNode answerCompletion(CompletionCall call, String id) {
    String prompt = call.prompt();
    List<String> promptTokens = SimLogprobs.tokenize(prompt);
    long contentHash = SimHash.key(SimHash.of(call.model().name()), SimHash.of(prompt));
    boolean greedy = call.temperature() == 0;
    ObjectNode root = header(id, "text_completion", call.model());
    ArrayNode choices = root.putArray("choices");
    int completionTokens = 0;
    for (int i = 0; i < call.n(); i++) {
      List<String> generated = new ArrayList<>();
      boolean cut = true;
      if (call.maxTokens() > 0) {
        long key =
            greedy
                ? SimHash.key(worldSeed, TAG_COMPLETION, contentHash)
                : SimHash.key(worldSeed, TAG_COMPLETION, contentHash, call.seed(), i);
        String text = policy.respond(call.model(), prompt, key, greedy);
        // A leading space keeps the prompt's last token and the first generated token apart.
        boolean separated = prompt.isEmpty() || Character.isWhitespace(prompt.charAt(prompt.length() - 1));
        List<String> all = SimLogprobs.tokenize(separated ? text : " " + text);
        cut = all.size() > call.maxTokens();
        generated = all.subList(0, Math.min(all.size(), call.maxTokens()));
      }
      completionTokens += generated.size();
      String generatedText = String.join("", generated);
      ObjectNode choice = choices.addObject();
      choice.put("index", i);
      choice.put("text", call.echo() ? prompt + generatedText : generatedText);
      if (call.logprobs() == null) {
        choice.putNull("logprobs");
      } else {
        choice.set("logprobs", logprobs(call, promptTokens, generated));
      }
      choice.put("finish_reason", cut ? "length" : "stop");
    }
    usage(root, promptTokens.size(), completionTokens);
    return root;
  }

  private ObjectNode logprobs(CompletionCall call, List<String> promptTokens, List<String> generated) {
    ObjectNode lp = Json.mapper().createObjectNode();
    ArrayNode tokens = lp.putArray("tokens");
    ArrayNode values = lp.putArray("token_logprobs");
    ArrayNode offsets = lp.putArray("text_offset");
    List<String> all = new ArrayList<>(promptTokens);
    all.addAll(generated);
    int from = call.echo() ? 0 : promptTokens.size();
    int offset = 0;
    for (int t = 0; t < all.size(); t++) {
      if (t >= from) {
        tokens.add(all.get(t));
        offsets.add(offset);
        if (t == 0) {
          values.addNull(); // nothing conditions the first token
        } else {
          values.add(scorer.logprob(call.model(), all.get(t - 1), all.get(t)));
        }
        offset += all.get(t).length();
      }
    }
    lp.putNull("top_logprobs");
    return lp;
  }

  private static ObjectNode header(String id, String object, ModelProfile model) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", 0); // fixed: a replayed request must get identical bytes
    root.put("model", model.name());
    root.put("system_fingerprint", OWNER);
    return root;
  }

  private static void usage(ObjectNode root, int prompt, int completion) {
    ObjectNode u = root.putObject("usage");
    u.put("prompt_tokens", prompt);
    u.put("completion_tokens", completion);
    u.put("total_tokens", prompt + completion);
  }

  /** Cuts a text to its first {@code max} words, keeping the original spacing; finish reason {@code length} if cut. */
  static Generated limitWords(Generated g, int max) {
    String text = g.text();
    int words = 0;
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i == text.length()) {
        break;
      }
      if (words == max) {
        return new Generated(text.substring(0, i).stripTrailing(), "length");
      }
      words++;
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
    }
    return g;
  }
}
