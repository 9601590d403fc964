package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.io.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The simulator's body hash keys its fault draws and its request log, which other processes match against: it must
 * stay what it was defined as, the SHA-256 of the body converted to plain maps and lists and written by the
 * program's mapper. These tests compute that definition the slow way and compare.
 */
class SimBodyHashTest {
  @Test
  void matchesTheMapConversionOnHandWrittenBodies() throws Exception {
    List<String> bodies =
        List.of(
            "{\"model\":\"sim-m0\",\"seed\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            "{\"b\":null,\"a\":[1,null,{\"z\":null,\"y\":2}],\"c\":{}}",
            "{\"temperature\":0.0,\"top_p\":1.0,\"x\":-0.5e-3,\"y\":1E10,\"big\":123456789012345678901234567890,"
                + "\"long\":9007199254740993,\"neg\":-2147483649,\"t\":true,\"f\":false}",
            "{\"\\u00e9t\\u00e9\":\"caf\\u00e9 \\ud83d\\ude00\",\"Z\":1,\"a\":2,\"\":3,\"_\":4,\"A\":5}",
            "{\"ctl\":\"tab\\tnew\\nline \\\"quoted\\\" back\\\\slash \\u0001 </script>\"}",
            "[3,1,2]",
            "\"just a string\"",
            "42",
            "null",
            "{\"nested\":{\"deeper\":{\"deepest\":[[],[{}],[null]]}}}");
    for (String body : bodies) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(body, Simulator.bodySha256(bytes), is(definition(bytes)));
    }
  }

  @Test
  void matchesTheMapConversionOnClientBodies() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      // The shape OpenAiClient sends (insertion order, not sorted), with random texts and numbers.
      ObjectNode body = Json.mapper().createObjectNode();
      body.put("model", "sim-judge-strict");
      ArrayNode messages = body.putArray("messages");
      messages.addObject().put("role", "system").put("content", "You grade <response> blocks.");
      messages.addObject().put("role", "user").put("content", randomText(random));
      body.put("temperature", random.nextDouble());
      body.put("top_p", 1.0);
      body.put("max_tokens", 1 + random.nextInt(512));
      body.put("n", 1);
      if (random.nextBoolean()) {
        body.put("seed", random.nextLong());
      }
      byte[] bytes = Json.mapper().writeValueAsBytes(body);
      assertThat(Simulator.bodySha256(bytes), is(definition(bytes)));
    }
  }

  private static String definition(byte[] body) throws Exception {
    JsonNode root = Json.mapper().readTree(body);
    byte[] canonical = Json.mapper().writeValueAsBytes(Json.mapper().treeToValue(root, Object.class));
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
  }

  private static String randomText(Random random) {
    String alphabet = "abc XYZ 019 <>/\"\\\n\t{}[]:, é ü 漢 \u0000\u001f";
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(300);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    if (random.nextInt(10) == 0) {
      sb.append("\ud83d\ude00");
    }
    return sb.toString();
  }
}
