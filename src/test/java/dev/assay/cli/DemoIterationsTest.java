package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.io.Json;
import dev.assay.sim.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --iterations 2}: two rounds whose models, and so whose consistency figures, differ. */
class DemoIterationsTest {
  @TempDir Path tmp;

  @Test
  void threeIterationsRecordDifferentConsistencyAndAReportAcrossThem() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(buf, true, StandardCharsets.UTF_8);
    Path out = tmp.resolve("demo");
    int code = DemoCommand.runDemo(out, false, List.of("input.limit=12"), SimulatorConfig.defaults(), console, 3, false);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(text, code, is(0));
    JsonNode m1 = Json.mapper().readTree(out.resolve("iter-1/manifest.json").toFile());
    JsonNode m2 = Json.mapper().readTree(out.resolve("iter-2/manifest.json").toFile());
    assertThat(m1.path("usage").path("judge").path("model").asText(), is("sim-m1"));
    assertThat(m2.path("usage").path("judge").path("model").asText(), is("sim-m2"));
    assertThat(m2.path("usage").path("previous").path("model").asText(), is("sim-m1"));
    assertThat(m2.path("iteration").asInt(), is(2));
    double c1 = m1.path("consistency").path("consistency").asDouble();
    double c2 = m2.path("consistency").path("consistency").asDouble();
    assertThat(text, c1, not(is(c2)));
    assertThat(text, containsString("iterations:"));
    assertThat(text, containsString("  iter-1: C = "));
    assertThat(text, containsString("  iter-2: C = "));
    JsonNode m3 = Json.mapper().readTree(out.resolve("iter-3/manifest.json").toFile());
    assertThat(m3.path("usage").path("judge").path("model").asText(), is("sim-m3"));
    double c3 = m3.path("consistency").path("consistency").asDouble();
    assertThat(text, c3, not(is(c2)));
    for (int t = 1; t <= 3; t++) {
      assertThat(Files.exists(out.resolve("iter-" + t + "/report.html")), is(true));
    }
    String across = Files.readString(out.resolve("report.html"));
    assertThat(across, containsString("data-chart=\"consistency-by-iteration\""));
    assertThat(across, containsString("iter-3"));
  }

  @Test
  void moreIterationsThanSimulatedModelsIsBadUsage() {
    assertThat(Main.execute("demo", "--iterations", "4", "--out", tmp.resolve("x").toString()), is(Main.BAD_INPUT));
  }
}
