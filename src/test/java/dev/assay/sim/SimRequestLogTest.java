package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60) // a hung connection must fail the test, not the build
class SimRequestLogTest {
  private static final String CHAT = "/v1/chat/completions";

  @Test
  void countsPerPathAndStatusAndKeepsRecords() throws IOException {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      SimTestClient client = new SimTestClient(sim);
      String body = SimTestClient.chatBody("sim-m0", "Explain rivers.", 1, 0.5, 1);
      client.post("/chat/completions", body);
      client.post("/chat/completions", body);
      client.post("/chat/completions", SimTestClient.chatBody("sim-m9", "x", 1, 0.5, 1));
      client.post("/chat/completions", "nope");
      client.post(
          "/completions", "{\"model\":\"sim-m1\",\"prompt\":\"Hi\",\"max_tokens\":0,\"echo\":true,\"logprobs\":0}");
      client.get("/models");

      assertThat(sim.servedCount(), is(6L));
      assertThat(sim.servedCount(CHAT), is(4L));
      assertThat(sim.servedCount(CHAT, 200), is(2L));
      assertThat(sim.servedCount(CHAT, 404), is(1L));
      assertThat(sim.servedCount(CHAT, 400), is(1L));
      assertThat(sim.servedCount("/v1/completions", 200), is(1L));
      assertThat(sim.servedCount("/v1/models", 200), is(1L));
      assertThat(sim.servedCount("/v1/embeddings"), is(0L));

      List<RequestRecord> log = sim.requestLog();
      assertThat(log, hasSize(6));
      RequestRecord first = log.get(0);
      assertThat(first.method(), is("POST"));
      assertThat(first.path(), is(CHAT));
      assertThat(first.model(), is("sim-m0"));
      assertThat(first.status(), is(200));
      assertThat(first.fault(), is(Fault.NONE));
      assertThat(first.bodySha256(), matchesPattern("[0-9a-f]{64}"));
      assertThat(first.bodySha256(), is(Simulator.bodySha256(body.getBytes(StandardCharsets.UTF_8))));
      assertThat(log.get(1).bodySha256(), is(first.bodySha256()));
      assertThat(log.get(2).model(), is("sim-m9"));
      assertThat(log.get(3).model(), nullValue());
      assertThat(log.get(5).bodySha256(), nullValue());

      sim.resetLog();
      assertThat(sim.servedCount(), is(0L));
      assertThat(sim.requestLog(), hasSize(0));
      client.get("/models");
      assertThat(sim.servedCount("/v1/models", 200), is(1L));
    }
  }

  @Test
  void theHashIgnoresKeyOrderAndWhitespace() {
    byte[] a = "{\"model\":\"sim-m0\",\"seed\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] b = "{ \"seed\": 1, \"messages\": [ {\"content\": \"x\", \"role\": \"user\"} ],\n \"model\": \"sim-m0\" }"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(Simulator.bodySha256(b), is(Simulator.bodySha256(a)));
    assertThat(Simulator.bodySha256("not json".getBytes(StandardCharsets.UTF_8)), matchesPattern("[0-9a-f]{64}"));
  }

  @Test
  void fileLogHasOneFlushedLinePerRequest(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("logs/sim-requests.jsonl");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withRequestLogFile(file))) {
      SimTestClient client = new SimTestClient(sim);
      for (int i = 0; i < 5; i++) {
        client.post("/chat/completions", SimTestClient.chatBody("sim-m2", SimTestClient.prompt(i), i, 0.5, 1));
      }
      client.post("/chat/completions", "{bad");
      // Read while the simulator still runs: each line is flushed as it is written.
      List<RequestRecord> fromFile = Files.readAllLines(file).stream().map(RequestRecord::fromJsonLine).toList();
      assertThat(fromFile, equalTo(sim.requestLog()));
      assertThat(Files.readAllLines(file).get(0), matchesPattern(
          "\\{\"attempt\":1,\"body_sha256\":\"[0-9a-f]{64}\",\"delay_ms\":[0-9]+,\"fault\":\"none\",\"method\":\"POST\","
              + "\"model\":\"sim-m2\",\"path\":\"/v1/chat/completions\",\"status\":200,"
              + "\"timestamp\":\"[0-9T:.Z-]+\"}"));
    }
    try (Simulator again = Simulator.start(SimulatorConfig.defaults().withRequestLogFile(file))) {
      new SimTestClient(again).get("/models");
    }
    assertThat("a second simulator appends", Files.readAllLines(file), hasSize(7));
  }

  @Test
  void theInMemoryLogIsBoundedButCountsAreExact() throws IOException {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withLogCapacity(3))) {
      SimTestClient client = new SimTestClient(sim);
      for (int i = 0; i < 8; i++) {
        client.post("/chat/completions", SimTestClient.chatBody("sim-m0", SimTestClient.prompt(i), i, 0.5, 1));
      }
      assertThat(sim.servedCount(), is(8L));
      assertThat(sim.requestLog(), hasSize(3));
      assertThat(sim.requestLog().get(2).bodySha256(), is(Simulator.bodySha256(
          SimTestClient.chatBody("sim-m0", SimTestClient.prompt(7), 7, 0.5, 1).getBytes(StandardCharsets.UTF_8))));
    }
  }
}
