package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.bench.SmallRecipe;
import dev.assay.io.Json;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, failure 3, end to end: a server that serves another model than the recipe asks for makes every one of
 * those calls fail with {@code WrongModelException} in {@code failures/}, and a dated snapshot of the requested model
 * (what OpenAI answers for {@code gpt-4o}) is accepted and recorded as the served model in the candidates and the
 * manifest.
 */
@Timeout(60)
class WrongModelRunTest {
  @TempDir Path tmp;

  /** A fixed OpenAI-compatible server naming {@code servedModel} in every answer; judge prompts get a score. */
  private static MockWebServer serverAnsweringAs(String servedModel) throws Exception {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String body = request.getBody() == null ? "" : request.getBody().utf8();
            String content = body.contains("<response>") ? "Feedback: clear and correct. [RESULT] 4" : "Rivers carry water to the sea.";
            ObjectNode root = Json.mapper().createObjectNode();
            root.put("id", "x").put("object", "chat.completion").put("model", servedModel);
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", content);
            root.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 8);
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(root.toString()).build();
          }
        });
    server.start();
    return server;
  }

  @Test
  void anotherModelFailsEveryCallWithItsOwnReason() throws Exception {
    try (MockWebServer server = serverAnsweringAs("tiny-random-llama")) {
      Path recipe = SmallRecipe.in(tmp).prompts(2).k(2).n(1).model("gpt-4o").write(server.url("/v1").toString());
      Path dir = tmp.resolve("run");
      Cli.Result r = Cli.run(Cli.runArgs(recipe, dir, false));
      assertThat(r.toString(), r.exit(), is(3));
      assertThat(r.out(), containsString("tiny-random-llama"));
      List<JsonNode> failures = RunFiles.lines(dir.resolve("failures/failures.jsonl"));
      assertThat(failures, hasSize(4));
      assertThat(failures.stream().map(f -> f.path("error_class").asText()).toList(), everyItem(is("WrongModelException")));
      assertThat(failures.get(0).path("message").asText(), containsString("gpt-4o"));
      assertThat("not retried: the server would name the same model", failures.get(0).path("attempts").asInt(), is(1));
    }
  }

  @Test
  void aDatedSnapshotIsAcceptedAndRecordedAsServed() throws Exception {
    try (MockWebServer server = serverAnsweringAs("gpt-4o-2024-08-06")) {
      Path recipe = SmallRecipe.in(tmp).prompts(2).k(2).n(1).model("gpt-4o").write(server.url("/v1").toString());
      Path dir = tmp.resolve("run");
      Cli.Result r = Cli.run(Cli.runArgs(recipe, dir, false));
      assertThat(r.toString(), r.exit(), is(0));
      RunFiles files = RunFiles.read(dir);
      assertThat(files.candidates, hasSize(4));
      assertThat(files.candidates.stream().map(c -> c.path("model").asText()).toList(), everyItem(is("gpt-4o-2024-08-06")));
      JsonNode policy = files.manifest.path("usage").path("policy");
      assertThat(policy.path("model").asText(), is("gpt-4o"));
      assertThat(policy.path("served_models").toString(), is("[\"gpt-4o-2024-08-06\"]"));
    }
  }
}
