package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.assay.bench.SmallRecipe;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ./assay run} in a child JVM whose environment holds an API key (a random marker) named by the
 * endpoints' {@code api_key_env}, against the simulator behind a proxy that records the {@code Authorization} header
 * and echoes the key back in some error bodies. Then scans every file under the test folder (run directory:
 * outputs, failures, manifest, ledger; the recipe; the child's whole output with Assay's debug logging on) for the
 * key and for {@code Authorization} and {@code Bearer}: zero hits, while the proxy saw the key on every request.
 */
@Timeout(90)
class SecretsTest {
  private static final String KEY_VARIABLE = "ASSAY_RELIABILITY_TEST_KEY";

  @TempDir Path tmp;

  @Test
  void theApiKeyIsSentOnEveryRequestAndWrittenNowhere() throws Exception {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String key = "sk-assaytest-" + HexFormat.of().formatHex(random);

    try (Simulator sim = Simulator.start(SimulatorConfig.defaults());
        HeaderRecordingProxy proxy = HeaderRecordingProxy.start(sim.baseUrl(), key, 7, 3)) {
      SmallRecipe r =
          SmallRecipe.in(tmp).prompts(4).k(2).n(2).endpoint("api_key_env", KEY_VARIABLE).endpoint("max_retries", 3);
      Path recipe = r.write(proxy.baseUrl());
      Path runDir = tmp.resolve("run");
      Path log = tmp.resolve("child.log");
      // Assay's own debug lines include every retry's error message: the place an echoed key would surface.
      List<String> jvm = List.of("-Dorg.slf4j.simpleLogger.log.dev.assay=debug", "-XX:TieredStopAtLevel=1");
      Process child = ChildJvm.start(tmp, log, jvm, Map.of(KEY_VARIABLE, key), Cli.runArgs(recipe, runDir, false));
      assertThat("the child finished", child.waitFor(80, TimeUnit.SECONDS), is(true));
      String output = Files.readString(log);
      assertThat(output, child.exitValue(), is(0));
      // The scan below is only worth something if the retries that followed an echo were logged.
      long retryLines = output.lines().filter(l -> l.contains("DEBUG") && l.contains("retry")).count();
      assertThat(output, retryLines, greaterThan(0L));

      // The key was really in use: every request carried it, and the server echoed it back.
      List<String> seen = proxy.authorizations();
      assertThat(seen.size(), greaterThan(r.generations()));
      assertThat(seen, everyItem(is("Bearer " + key)));
      assertThat(proxy.echoed(), greaterThan(1));
      RunFiles run = RunFiles.read(runDir);
      assertThat("the 401 that quoted the key became a failure", run.failures.size(), is(1));
      assertThat(run.failures.get(0).path("message").asText(), containsString("[redacted]"));
      assertThat(Files.readString(runDir.resolve("manifest.json")), containsString(KEY_VARIABLE));

      List<Path> files;
      try (Stream<Path> walk = Files.walk(tmp)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      List<String> hits = new ArrayList<>();
      long bytes = 0;
      for (Path f : files) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1); // any bytes, no decoding errors
        bytes += text.length();
        String lower = text.toLowerCase(Locale.ROOT);
        if (text.contains(key)) {
          hits.add(tmp.relativize(f) + " contains the key");
        }
        for (String header : List.of("authorization", "bearer")) {
          if (lower.contains(header)) {
            hits.add(tmp.relativize(f) + " contains " + header);
          }
        }
      }
      assertThat(hits, is(empty()));
      System.out.printf(
          "RELIABILITY secrets: %d requests all carried the key; %d error bodies echoed it (%d retries logged at "
              + "debug); %d files (%d bytes: run directory, ledger, manifest, recipe, child output) scanned: 0 hits "
              + "for the key, 'Authorization', 'Bearer'%n",
          seen.size(), proxy.echoed(), retryLines, files.size(), bytes);
    }
  }
}
