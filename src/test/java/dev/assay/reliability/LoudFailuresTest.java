package dev.assay.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.bench.SmallRecipe;
import dev.assay.sim.FaultPlan;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, failure 4: data no one should train on must not end {@code complete}, exit 0. Reproduced on the simulator:
 * every judgment cut by the token limit (parse rate 0), most judge calls timing out, and a voter with no usable
 * output. Each stops the run with exit 1 and a message naming the judge, stage or voter; the manifest says why.
 */
@Timeout(120)
class LoudFailuresTest {
  @TempDir Path tmp;

  private SmallRecipe recipe(String name) {
    return SmallRecipe.in(tmp.resolve(name)).prompts(6).k(2).n(2);
  }

  @Test
  void everyJudgmentTruncatedStopsTheRunAtTheParseRateGate() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      Path dir = tmp.resolve("truncated/run");
      // Three words of feedback and no room for the score: every judgment is cut by the token limit.
      Cli.Result result =
          Cli.run(Cli.runArgs(recipe("truncated").write(sim.baseUrl()), dir, false, "judges.0.max_tokens=3"));
      RunFiles run = RunFiles.read(dir);
      assertThat(run.manifest.at("/stages/judge.self/rejected").asLong(), greaterThan(0L));
      assertThat(run.manifest.at("/stages/judge.self/out").asLong(), is(0L));
      assertThat(result.toString(), result.exit(), is(1));
      assertThat(run.manifest.path("status").asText(), is("gate_failed"));
      assertThat(result.out(), containsString("min_parse_rate"));
      assertThat(result.out(), containsString("judge self"));
    }
  }

  @Test
  void mostJudgeCallsTimingOutStopsTheRunAtTheFailureRateGate() throws Exception {
    FaultPlan plan = FaultPlan.parse("timeout=0.8,timeout-ms=3000");
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults().withSeed(5).withFaults(plan))) {
      SmallRecipe r = recipe("timeouts").endpoint("max_retries", 0).endpoint("read_timeout_ms", 300);
      Path dir = tmp.resolve("timeouts/run");
      // Generation retries until it gets through; the judge gives up on the first timeout, as a judge whose read
      // timeout is shorter than the server's queue does.
      Cli.Result result =
          Cli.run(Cli.runArgs(r.write(sim.baseUrl()), dir, false, "endpoints.policy.max_retries=30"));
      RunFiles run = RunFiles.read(dir);
      JsonNode judge = run.manifest.at("/stages/judge.self");
      long in = judge.path("in").asLong();
      long failed = judge.path("failed").asLong();
      assertThat(judge.toString(), failed * 2, greaterThan(in));
      assertThat("not every call failed (that is exit 3)", judge.path("out").asLong(), greaterThan(0L));
      assertThat(result.toString(), result.exit(), is(1));
      assertThat(run.manifest.path("status").asText(), is("gate_failed"));
      assertThat(result.out(), containsString("max_failure_rate"));
      assertThat(result.out(), containsString("judge.self"));
    }
  }

  @Test
  void aVoterWithNoUsableOutputIsAnErrorNotASmallerQuorum() throws Exception {
    try (Simulator sim = Simulator.start(SimulatorConfig.defaults())) {
      SmallRecipe r =
          recipe("voter")
              .append(
                  """
                  reward_models:
                    - {name: judge-self, type: judge, judge: self}
                    - {name: judge-cut, type: judge, judge: cut}
                  consensus: {k: 1, c: 0.5, m0: 0.5, primary: judge-self}
                  gates: {min_parse_rate: 0.0}
                  """);
      Path recipe = r.write(sim.baseUrl());
      // A second judge whose every answer is cut off: its voter has no reward for any candidate.
      String yaml = java.nio.file.Files.readString(recipe);
      java.nio.file.Files.writeString(
          recipe,
          yaml.replace(
              "reward_models:",
              "  - {name: cut, endpoint: judge, n: 1, max_tokens: 3, template: \"" + Path.of("configs/templates/absolute.yaml").toAbsolutePath()
                  + "\", rubric: \"" + Path.of("configs/rubrics/helpfulness.yaml").toAbsolutePath() + "\"}\nreward_models:"));
      Path dir = tmp.resolve("voter/run");
      Cli.Result result = Cli.run(Cli.runArgs(recipe, dir, false));
      assertThat(result.toString(), result.exit(), is(1));
      assertThat(result.out(), containsString("judge-cut"));
      assertThat(result.out(), containsString("no usable output"));
      RunFiles run = RunFiles.read(dir);
      assertThat(run.manifest.path("status").asText(), is("failed"));
      assertThat(run.manifest.at("/stages/reward.judge-cut/out").asLong(), is(0L));
    }
  }
}
