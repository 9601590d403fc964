package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a hung connection must fail the test, not the build
class SimulatorConfigTest {
  @Test
  void latencySpecsParse() {
    assertThat(Latency.parse("0"), equalTo(Latency.none()));
    assertThat(Latency.parse("50"), equalTo(new Latency.Fixed(50)));
    assertThat(Latency.parse("fixed:50"), equalTo(new Latency.Fixed(50)));
    assertThat(Latency.parse("uniform:10-80"), equalTo(new Latency.Uniform(10, 80)));
    assertThat(Latency.parse("lognormal:50,0.5"), equalTo(new Latency.LogNormal(50, 0.5)));
    for (String bad : List.of("fast", "uniform:80-10", "uniform:10", "lognormal:50", "-5", "fixed:999999")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Latency.parse(bad));
      assertThat(e.getMessage(), containsString("latency"));
    }
  }

  @Test
  void latencyDistributionsHaveTheirShape() {
    Latency uniform = new Latency.Uniform(10, 20);
    Latency logNormal = new Latency.LogNormal(50, 0.5);
    long[] draws = new long[4001];
    for (int i = 0; i < draws.length; i++) {
      long u = uniform.millis(SimHash.key(1, i));
      assertThat(u, allOf(greaterThanOrEqualTo(10L), lessThanOrEqualTo(20L)));
      draws[i] = logNormal.millis(SimHash.key(2, i));
    }
    Arrays.sort(draws);
    assertThat((double) draws[draws.length / 2], closeTo(50, 4));
    assertThat(new Latency.LogNormal(1000, 5).millis(SimHash.key(3, 3)), lessThanOrEqualTo(Latency.MAX_MILLIS));
  }

  @Test
  void faultSpecsParse() {
    FaultPlan p = FaultPlan.parse("429=0.05, 500=0.02,timeout=0.01,malformed=0.01,truncated=0.01,reset=0.01,"
        + "retry-after=3,timeout-ms=500,max-faults-per-body=2");
    assertThat(p, equalTo(new FaultPlan(0.05, 0.02, 0.01, 0.01, 0.01, 0.01, 3, 500, 2)));
    assertThat(FaultPlan.parse(""), equalTo(FaultPlan.none()));
    assertThat(FaultPlan.none().any(), is(false));
    assertThat(p.any(), is(true));
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("418=0.1"));
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("429=lots"));
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("429"));
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse("429=0.6,500=0.6"));
    assertThrows(IllegalArgumentException.class, () -> FaultPlan.rates(-0.1, 0, 0, 0, 0, 0));
  }

  @Test
  void faultSlicesFollowTheRates() {
    FaultPlan p = FaultPlan.rates(0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
    assertThat(p.pick(0.05), is(Fault.RATE_LIMIT));
    assertThat(p.pick(0.15), is(Fault.SERVER_ERROR));
    assertThat(p.pick(0.25), is(Fault.TIMEOUT));
    assertThat(p.pick(0.35), is(Fault.MALFORMED));
    assertThat(p.pick(0.45), is(Fault.TRUNCATED));
    assertThat(p.pick(0.55), is(Fault.RESET));
    assertThat(p.pick(0.65), is(Fault.NONE));
  }

  @Test
  void profilesValidateTheirRangesAndNames() {
    assertThrows(IllegalArgumentException.class, () -> ModelProfile.builder("gpt-4").build());
    assertThrows(IllegalArgumentException.class, () -> ModelProfile.builder("sim-").build());
    assertThrows(IllegalArgumentException.class, () -> ModelProfile.builder("sim-x").skill(1.5).build());
    assertThrows(IllegalArgumentException.class, () -> ModelProfile.builder("sim-x").judgeNoise(-1).build());
    assertThrows(IllegalArgumentException.class, () -> ModelProfile.builder("sim-x").driftFrom("sim-x", 0.5).build());
    ModelProfile p = ModelProfile.builder("sim-x").skill(0.3).positionBias(0.2).driftFrom("sim-m0", 0.4).build();
    assertThat(p.toBuilder().build(), equalTo(p));
    assertThat(p.toBuilder().exact().build().positionBias(), is(0.0));
    assertThat(ModelProfile.builder("sim-a").build().driftSeed(),
        not(equalTo(ModelProfile.builder("sim-b").build().driftSeed())));
  }

  @Test
  void defaultsServeSixLabelledModelsWithAnOrderedSkillLadder() {
    SimulatorConfig c = SimulatorConfig.defaults();
    assertThat(c.models(), hasSize(6));
    assertThat(c.models().stream().map(ModelProfile::name).toList(), everyItem(startsWith("sim-")));
    double previous = -1;
    for (String m : List.of("sim-m0", "sim-m1", "sim-m2", "sim-m3")) {
      ModelProfile p = c.model(m).orElseThrow();
      assertThat(p.skill() > previous, is(true));
      previous = p.skill();
    }
    assertThat(c.model("sim-judge-strict").orElseThrow().obeysInjection(), is(false));
    assertThat(c.model("sim-judge-lenient").orElseThrow().obeysInjection(), is(true));
    assertThat(c.port(), is(0));
    assertThat(c.worldSeed(), is(SimWorld.DEFAULT_SEED));
  }

  @Test
  void configRejectsDuplicatesMissingParentsAndCycles() {
    SimulatorConfig c = SimulatorConfig.defaults();
    ModelProfile a = ModelProfile.builder("sim-a").driftFrom("sim-b", 0.5).build();
    ModelProfile b = ModelProfile.builder("sim-b").driftFrom("sim-a", 0.5).build();
    assertThrows(IllegalArgumentException.class, () -> c.withModels(List.of(a, b)));
    assertThrows(IllegalArgumentException.class, () -> c.withModels(List.of(a)));
    assertThrows(IllegalArgumentException.class, () -> c.withModels(List.of(b, b)));
    assertThrows(IllegalArgumentException.class, () -> c.withModels(List.of()));
    assertThrows(IllegalArgumentException.class, () -> c.withPort(70_000));
    SimulatorConfig replaced = c.withModel(ModelProfile.builder("sim-m1").skill(0.9).build());
    assertThat(replaced.model("sim-m1").orElseThrow().skill(), is(0.9));
    assertThat(replaced.models().get(1).name(), is("sim-m1"));
    assertThat(c.withModel(ModelProfile.builder("sim-new").build()).models(), hasSize(7));
  }

  @Test
  void optionsBuildAConfig() {
    SimulatorConfig c = SimulatorConfig.fromOptions(8123, 9L, "uniform:5-10", "429=0.1", Path.of("sim.jsonl"));
    assertThat(c.port(), is(8123));
    assertThat(c.seed(), is(9L));
    assertThat(c.latency(), equalTo(new Latency.Uniform(5, 10)));
    assertThat(c.faults().rate429(), is(0.1));
    assertThat(c.requestLogFile(), equalTo(Path.of("sim.jsonl")));
    assertThat(SimulatorConfig.fromOptions(null, null, null, null, null), equalTo(SimulatorConfig.defaults()));
  }

  @Test
  void aBusyPortIsAnIOException() throws IOException {
    try (Simulator first = Simulator.start(SimulatorConfig.defaults())) {
      SimulatorConfig samePort = SimulatorConfig.defaults().withPort(first.port());
      IOException e = assertThrows(IOException.class, () -> Simulator.start(samePort));
      assertThat(e.getMessage(), containsString(String.valueOf(first.port())));
    }
  }

  @Test
  void everySlotWordIsAContentWord() {
    // The policy's incremental quality arithmetic assumes swapping a slot word never changes the word count.
    for (List<String> words : SimPolicy.slotWords()) {
      for (String w : words) {
        assertThat(w, SimWorld.isContentWord(SimWorld.normalize(w)), is(true));
      }
    }
  }

  @Test
  void closeIsIdempotentAndRunUntilInterruptedReturnsOnClose() throws Exception {
    Simulator sim = Simulator.start(SimulatorConfig.defaults());
    Thread runner = new Thread(sim::runUntilInterrupted);
    runner.start();
    sim.close();
    runner.join(5_000);
    assertThat(runner.isAlive(), is(false));
    sim.close();

    Simulator other = Simulator.start(SimulatorConfig.defaults());
    Thread interrupted = new Thread(other::runUntilInterrupted);
    interrupted.start();
    interrupted.interrupt();
    interrupted.join(5_000);
    assertThat(interrupted.isAlive(), is(false));
    assertThrows(IOException.class, () -> new SimTestClient(other).http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(other.baseUrl() + "/models")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()));
  }
}
