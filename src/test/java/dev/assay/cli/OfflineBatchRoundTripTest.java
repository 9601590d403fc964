package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.assay.batch.BatchOutputs;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.ledger.Ledger;
import dev.assay.pipeline.BatchWrite;
import dev.assay.pipeline.RecipeRunner;
import dev.assay.pipeline.RunResult;
import dev.assay.pipeline.recipe.ConfigLoader;
import dev.assay.pipeline.recipe.LoadedConfig;
import dev.assay.run.RunDirectory;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.RunComparison;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's offline round trip on the simulator: {@code batch write}; a stand-in for {@code vllm run-batch} answers
 * each request file in its documented output format (output order shuffled, some lines errors); {@code batch read};
 * again until nothing is left; then {@code run --resume --offline}. The run sends no live request and publishes the
 * same files, and holds the same ledger entries, as the same recipe run live.
 *
 * <p>The stand-in is not vLLM: it posts each line's body to the simulator and writes the answer as {@code vllm
 * run-batch} does (its {@code BatchRequestOutput}: {@code id}, {@code custom_id}, {@code response: {status_code,
 * request_id, body}}, {@code error}).
 */
class OfflineBatchRoundTripTest {
  @TempDir Path tmp;

  private static final List<String> SMALL = List.of("input.limit=12");

  @Test
  void batchRoundsThenAnOfflineResumePublishWhatALiveRunPublishes() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      Path live = tmp.resolve("live");
      assertThat(run(sim, live, false, null), is(0));

      Path batched = tmp.resolve("batched");
      long servedBefore = sim.servedCount();
      Random seeded = new Random(16);
      int rounds = 0;
      long errorsInjected = 0;
      while (true) {
        BatchWrite.Written written = BatchWrite.write(load(sim), batched);
        if (written.total() == 0) {
          break;
        }
        rounds++;
        assertThat("rounds needed (generation, judges and rewards, re-asked errors)", rounds, lessThan(8));
        assertThat("batch write sends nothing", sim.servedCount() - servedBefore, is(0L));
        List<Path> outputs = new ArrayList<>();
        long errors = 0;
        for (String file : written.requests().keySet()) {
          // The first round's outputs carry errors, as a real batch may: those requests must come back next round.
          double errorShare = rounds == 1 ? 0.1 : 0.0;
          StandIn.Result r = StandIn.answer(sim, written.round().resolve(file), tmp.resolve("out-" + rounds + "-" + file), errorShare, seeded);
          outputs.add(r.output());
          errors += r.errors();
        }
        servedBefore = sim.servedCount();
        Ledger ledger = Ledger.open(new RunDirectory(batched).ledger());
        BatchOutputs.Summary read = BatchOutputs.read(ledger, BatchOutputs.pending(BatchWrite.batchDir(batched)), outputs);
        Ledger.release(ledger.dir());
        assertThat(read.errorCount(), is(errors));
        assertThat(read.recorded() + read.errorCount(), is(read.lines()));
        errorsInjected += errors;
      }
      assertThat("the first round injected errors", errorsInjected, greaterThan(0L));
      assertThat(rounds, greaterThan(1)); // judges need the generated candidates first

      long before = sim.servedCount();
      assertThat(run(sim, batched, true, "offline"), is(0));
      assertThat("the offline resume sends no request", sim.servedCount() - before, is(0L));
      RunComparison.assertSameData(live, batched, List.of("batch/"));
      JsonNode manifest = RunComparison.manifest(batched);
      assertThat(manifest.path("notes").toString(), containsString("offline: not called"));
    }
  }

  @Test
  void anOfflineRunWithoutAnswersFailsLoudlyAndSendsNothing() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int code = run(sim, tmp.resolve("empty"), false, "offline", new PrintStream(buf, true, StandardCharsets.UTF_8));
      assertThat(buf.toString(StandardCharsets.UTF_8), code, is(3));
      assertThat(buf.toString(StandardCharsets.UTF_8), containsString("DeferredToBatchException"));
      assertThat(sim.servedCount(), is(0L));
    }
  }

  @Test
  void anOutputLineOfAnotherRunIsBadInputNamingFileLineAndField() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      Path run = tmp.resolve("run");
      BatchWrite.write(load(sim), run);
      Path foreign = tmp.resolve("foreign.jsonl");
      Files.writeString(foreign, "\n{\"id\":\"x\",\"custom_id\":\"not-ours\",\"response\":null,\"error\":\"e\"}\n");
      Ledger ledger = Ledger.open(new RunDirectory(run).ledger());
      try {
        InputException e =
            org.junit.jupiter.api.Assertions.assertThrows(
                InputException.class,
                () -> BatchOutputs.read(ledger, BatchOutputs.pending(BatchWrite.batchDir(run)), List.of(foreign)));
        assertThat(e.getMessage(), containsString(foreign + ":2: field 'custom_id': not-ours is no request"));
      } finally {
        Ledger.release(ledger.dir());
      }
    }
  }

  private static LoadedConfig load(Simulator sim) {
    return ConfigLoader.load(
        ProjectHome.resolve(DemoCommand.RECIPE), List.of(), SMALL, name -> name.equals("ASSAY_SIM_URL") ? sim.baseUrl() : null);
  }

  private static int run(Simulator sim, Path dir, boolean resume, String offline) {
    return run(sim, dir, resume, offline, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static int run(Simulator sim, Path dir, boolean resume, String offline, PrintStream console) {
    LoadedConfig loaded = load(sim);
    Map<String, dev.assay.llm.BackendProvider> backends = new java.util.TreeMap<>();
    if (offline != null) {
      loaded.recipe().endpoints().keySet().forEach(n -> backends.put(n, dev.assay.batch.DeferringProvider.offline(n)));
    }
    RunResult result =
        RecipeRunner.run(loaded, new RecipeRunner.Options(dir, resume, false, "test", backends, List.of()), console);
    return result.exitCode();
  }

  /** Answers a request file as {@code vllm run-batch} would, asking the simulator; stands in for vLLM, and says so. */
  static final class StandIn {
    record Result(Path output, long errors) {}

    static Result answer(Simulator sim, Path requests, Path output, double errorShare, Random random) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      String root = sim.baseUrl().substring(0, sim.baseUrl().length() - "/v1".length());
      List<String> lines = new ArrayList<>();
      long errors = 0;
      int n = 0;
      for (String line : Files.readAllLines(requests, StandardCharsets.UTF_8)) {
        JsonNode request = Json.mapper().readTree(line);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("id", "vllm-standin-" + n);
        out.put("custom_id", request.path("custom_id").asText());
        ObjectNode response = out.putObject("response");
        response.put("request_id", "vllm-batch-standin-" + n++);
        if (random.nextDouble() < errorShare) {
          response.put("status_code", 400);
          response.putNull("body");
          out.put("error", "stand-in: injected error");
          errors++;
        } else {
          HttpResponse<String> answer =
              http.send(
                  HttpRequest.newBuilder(URI.create(root + request.path("url").asText()))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(request.path("body").toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          response.put("status_code", answer.statusCode());
          response.set("body", Json.mapper().readTree(answer.body()));
          out.putNull("error");
        }
        lines.add(Json.line(out));
      }
      Collections.shuffle(lines, random);
      Files.write(output, lines, StandardCharsets.UTF_8);
      return new Result(output, errors);
    }
  }
}
