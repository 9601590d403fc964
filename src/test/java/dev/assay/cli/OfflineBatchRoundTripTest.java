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
  void theRoundsGoThroughALedgerSharedAcrossRunFolders() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      String recipe = ProjectHome.resolve(DemoCommand.RECIPE).toString();
      // The reference run goes through the command line too, so both manifests name a command line of the same kind.
      Path live = tmp.resolve("live");
      Cli reference = Cli.run(cliArgs(sim, "run", recipe, "--run-dir", live.toString(), "--no-progress"));
      assertThat(reference.out(), reference.exit(), is(0));

      Path sharedRoot = tmp.resolve("shared");
      Path shared = sharedRoot.resolve("ledger"); // named ledger/ so that RunComparison.ledgerLines(sharedRoot) reads it
      Path batched = tmp.resolve("batched");
      long servedBefore = sim.servedCount();
      Random seeded = new Random(17);
      int rounds = 0;
      while (true) {
        Cli write = Cli.run(cliArgs(sim, "batch", "write", recipe, "--run-dir", batched.toString(), "--ledger", shared.toString()));
        assertThat(write.out(), write.exit(), is(0));
        if (write.out().contains("nothing left to send")) {
          assertThat(write.out(), containsString("--resume --offline --ledger " + shared));
          break;
        }
        rounds++;
        assertThat(rounds, lessThan(8));
        assertThat("batch write sends nothing", sim.servedCount() - servedBefore, is(0L));
        Path round = BatchWrite.batchDir(batched).resolve(String.format("round-%03d", rounds));
        List<String> read = new ArrayList<>(List.of("batch", "read", batched.toString()));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(round, "*.*.jsonl")) {
          for (Path file : files) {
            read.add(StandIn.answer(sim, file, tmp.resolve("shared-out-" + rounds + "-" + file.getFileName()), 0.0, seeded).output().toString());
          }
        }
        servedBefore = sim.servedCount();
        // No --ledger here: batch read records the answers in the shared ledger batch write named in the run folder.
        Cli answered = Cli.run(read.toArray(String[]::new));
        assertThat(answered.out(), answered.exit(), is(0));
      }
      assertThat(rounds, greaterThan(1));
      assertThat("the run folder's own ledger holds nothing", ledgerLines(new RunDirectory(batched).ownLedger()), is(0L));
      assertThat("the shared ledger holds the answers", ledgerLines(shared), greaterThan(0L));
      Cli wrongLedger = Cli.run("batch", "read", batched.toString(), tmp.resolve("none.jsonl").toString(), "--ledger", tmp.resolve("other").toString());
      assertThat(wrongLedger.out(), wrongLedger.exit(), is(2));

      long before = sim.servedCount();
      Cli resumed = Cli.run(cliArgs(sim, "run", recipe, "--run-dir", batched.toString(), "--resume", "--offline", "--no-progress", "--ledger", shared.toString()));
      assertThat(resumed.out(), resumed.exit(), is(0));
      assertThat("the offline resume sends no request", sim.servedCount() - before, is(0L));
      RunComparison.assertSamePublishedData(live, batched, List.of("batch/"));
      assertThat("the shared ledger holds what the live run's own holds",
          RunComparison.ledgerLines(sharedRoot), equalTo(RunComparison.ledgerLines(live)));

      // Another folder with the same recipe finds every answer in the shared ledger: nothing to write.
      Cli again = Cli.run(cliArgs(sim, "batch", "write", recipe, "--run-dir", tmp.resolve("second").toString(), "--ledger", shared.toString()));
      assertThat(again.out(), again.exit(), is(0));
      assertThat(again.out(), containsString("nothing left to send"));
      assertThat(sim.servedCount() - before, is(0L));
    }
  }

  /** Lines in a ledger folder's shards (0 when it does not exist). */
  private static long ledgerLines(Path ledger) throws Exception {
    long n = 0;
    if (Files.isDirectory(ledger)) {
      try (DirectoryStream<Path> shards = Files.newDirectoryStream(ledger, "*.jsonl")) {
        for (Path shard : shards) {
          n += Files.readAllLines(shard, StandardCharsets.UTF_8).size();
        }
      }
    }
    return n;
  }

  /** A command line on the small demo recipe whose endpoints are the simulator. */
  private static String[] cliArgs(Simulator sim, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    for (String set : SMALL) {
      all.add("--set");
      all.add(set);
    }
    for (String e : List.of("policy", "judge", "previous")) {
      all.add("--set");
      all.add("endpoints." + e + ".base_url=" + sim.baseUrl());
    }
    return all.toArray(String[]::new);
  }

  /** One command through {@link Main#execute}, its standard output captured. */
  private record Cli(int exit, String out) {
    static Cli run(String... args) {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      PrintStream stdout = System.out;
      int exit;
      try (PrintStream p = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
        System.setOut(p);
        exit = Main.execute(args);
      } finally {
        System.setOut(stdout);
      }
      return new Cli(exit, captured.toString(StandardCharsets.UTF_8));
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
