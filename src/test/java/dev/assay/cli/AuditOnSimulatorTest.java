package dev.assay.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's acceptance: the audit passes an iteration whose judge is the same model (only its samples differ) and
 * fails one whose judge drifted (the simulator's sim-m3 against sim-m1), on the same 120 responses. The simulator is
 * deterministic, so the measured C values are fixed: 0.78 for the stable pair, 0.71 for the drifted one.
 */
class AuditOnSimulatorTest {
  @TempDir Path tmp;

  private Path recipe(String name, String body) throws Exception {
    Path project = Path.of("").toAbsolutePath();
    String judges =
        """
        judges:
          - {name: self, endpoint: judge, n: 3, template: %s, rubric: %s}
        """
            .formatted(project.resolve("configs/templates/absolute.yaml"), project.resolve("configs/rubrics/helpfulness.yaml"));
    Path file = tmp.resolve(name + ".yaml");
    Files.writeString(file, "name: " + name + "\n" + body + judges);
    return file;
  }

  @Test
  void passesAStableIterationAndFailsADriftedOne() throws Exception {
    Path prompts = Path.of("pipelines/data/topics-80.jsonl").toAbsolutePath();
    Path first =
        recipe(
            "iter1",
            """
            seed: 1
            endpoints:
              policy: {base_url: "${ASSAY_SIM_URL:-http://127.0.0.1:1/v1}", model: sim-m1}
              judge: {base_url: "${ASSAY_SIM_URL:-http://127.0.0.1:1/v1}", model: sim-m1}
            input: {path: %s, limit: 30}
            generation: {endpoint: policy, k: 4}
            """
                .formatted(prompts));
    Path rejudge =
        recipe(
            "rejudge",
            """
            seed: 2
            endpoints:
              judge: {base_url: "${ASSAY_SIM_URL:-http://127.0.0.1:1/v1}", model: sim-m1}
            input: {path: %s, format: candidates}
            """
                .formatted(tmp.resolve("a/candidates/candidates.jsonl")));
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      String url = sim.baseUrl();
      assertThat(Main.execute("run", first.toString(), "--run-dir", tmp.resolve("a").toString(), "--set", "endpoints.policy.base_url=" + url, "--set", "endpoints.judge.base_url=" + url), is(0));
      assertThat(Main.execute("run", rejudge.toString(), "--run-dir", tmp.resolve("stable").toString(), "--set", "endpoints.judge.base_url=" + url), is(0));
      assertThat(
          Main.execute("run", rejudge.toString(), "--run-dir", tmp.resolve("drifted").toString(), "--set", "endpoints.judge.base_url=" + url, "--set", "endpoints.judge.model=sim-m3"),
          is(0));
    }
    String a = tmp.resolve("a").toString();
    // Measured on the calibrated simulator (SIMULATOR.md): C 0.6978 for sim-m1 rejudging its own candidates with
    // another seed (its sampled scores are as noisy as GPT-4's), 0.5947 for sim-m3; the gate sits between them.
    assertThat(Main.execute("audit", "--current", tmp.resolve("stable").toString(), "--previous", a, "--min-consistency", "0.65"), is(0));
    assertThat(Main.execute("audit", "--current", tmp.resolve("drifted").toString(), "--previous", a, "--min-consistency", "0.65"), is(1));
  }
}
