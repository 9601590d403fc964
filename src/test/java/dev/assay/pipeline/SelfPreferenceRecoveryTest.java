package dev.assay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.cli.Main;
import dev.assay.io.Json;
import dev.assay.sim.ModelProfile;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated self-biased judge's measured self-preference recovers its setting: the policy's model (with {@code
 * self_preference} s) writes and judges, a strict judge on another endpoint is the anchor, and the anchor set is
 * another model's responses to the same prompts. Tolerance: the measure is within {@value #TOLERANCE} of s (a
 * fraction of the 1-5 scale, so 0.2 points) and its 95% interval contains s; a judge without the knob measures within
 * the same tolerance of 0, its interval containing 0. At 80 prompts x 2 responses, one sample per judge, the
 * interval's half-width is about 0.03: measured +0.214 [+0.181, +0.247] with the knob at 0.2, +0.011 [-0.022, +0.044]
 * without (2026-12-06). Three runs of about 600 simulator requests and two pipeline passes each.
 */
class SelfPreferenceRecoveryTest {
  private static final double TOLERANCE = 0.05;
  private static final double SETTING = 0.2;

  @TempDir Path tmp;

  @Test
  void theMeasureRecoversTheSimulatedSettingAndFindsNoneWithoutIt() throws IOException {
    ModelProfile selfish =
        ModelProfile.builder("sim-selfish").skill(0.5).exact().judgeAccuracy(0.8).judgeNoise(0.1)
            .selfPreference(SETTING).build();
    ModelProfile fair = selfish.toBuilder().name("sim-fair").selfPreference(0).build();
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withModel(selfish).withModel(fair))) {
      // The others' responses: another model's answers to the same prompts, judged by the strict judge only.
      assertThat(run(sim, "others", "sim-m2", null), is(0));
      Path others = tmp.resolve("others/candidates/candidates.jsonl");

      JsonNode biased = selfPreference(sim, "selfish", "sim-selfish", others);
      assertThat(biased.toString(), biased.path("own").asLong(), is(160L));
      assertThat(biased.toString(), biased.path("others").asLong(), is(160L));
      assertThat(biased.toString(), biased.path("preference").asDouble(), closeTo(SETTING, TOLERANCE));
      assertThat(biased.toString(), biased.path("lower").asDouble(), lessThanOrEqualTo(SETTING));
      assertThat(biased.toString(), biased.path("upper").asDouble(), greaterThanOrEqualTo(SETTING));

      JsonNode unbiased = selfPreference(sim, "fair", "sim-fair", others);
      assertThat(unbiased.toString(), unbiased.path("preference").asDouble(), closeTo(0, TOLERANCE));
      assertThat(unbiased.toString(), unbiased.path("lower").asDouble(), lessThanOrEqualTo(0.0));
      assertThat(unbiased.toString(), unbiased.path("upper").asDouble(), greaterThanOrEqualTo(0.0));
    }
  }

  private JsonNode selfPreference(Simulator sim, String dir, String model, Path others) throws IOException {
    assertThat(run(sim, dir, model, others), is(0));
    JsonNode manifest = Json.mapper().readTree(tmp.resolve(dir).resolve("manifest.json").toFile());
    JsonNode summary = Json.mapper().readTree(tmp.resolve(dir).resolve("anchor/summary.json").toFile());
    assertThat("the manifest records the anchor step", manifest.path("anchor"), is(summary));
    assertThat(manifest.path("stages").path("anchor.self").path("in").asLong(), is(160L * 2));
    return summary.path("self_preference").get(0);
  }

  /** One run: {@code model} writes two responses per prompt and judges them; with an anchor file, the anchor step. */
  private int run(Simulator sim, String dir, String model, Path anchorFile) throws IOException {
    String anchor = anchorFile == null ? "" : "anchor: {file: %s, judge: strict, own_sample: 160}\n".formatted(anchorFile);
    Path recipe = tmp.resolve(dir + ".yaml");
    Files.writeString(recipe, """
        name: self-preference
        endpoints:
          policy: {base_url: "%1$s", model: %2$s}
          strict: {base_url: "%1$s", model: sim-judge-strict}
        input: {path: %3$s, format: prompts}
        generation: {endpoint: policy, k: 2}
        judges:
          - {name: self, endpoint: policy, kind: absolute, n: 1, template: %4$s, rubric: %5$s}
        """.formatted(sim.baseUrl(), model, Path.of("pipelines/data/topics-80.jsonl").toAbsolutePath(),
            Path.of("configs/templates/absolute.yaml").toAbsolutePath(),
            Path.of("configs/rubrics/helpfulness.yaml").toAbsolutePath()) + anchor);
    return Main.execute("run", recipe.toString(), "--run-dir", tmp.resolve(dir).toString(), "--no-progress");
  }
}
