package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a hung connection must fail the test, not the build
class SimPolicyTest {
  private static Simulator sim;
  private static SimTestClient client;

  @BeforeAll
  static void start() throws IOException {
    ModelProfile hacker = ModelProfile.builder("sim-hacker").skill(0.8).hackRate(0.5).build();
    sim = Simulator.start(SimulatorConfig.defaults().withModel(hacker));
    client = new SimTestClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static double meanQuality(String model, int prompts) {
    double sum = 0;
    for (int i = 0; i < prompts; i++) {
      sum += SimWorld.trueQuality(client.chat(model, SimTestClient.prompt(i), 17));
    }
    return sum / prompts;
  }

  @Test
  void laterIterationsWriteBetterResponses() {
    double m0 = meanQuality("sim-m0", 100);
    double m2 = meanQuality("sim-m2", 100);
    assertThat(m2, greaterThan(m0 + 0.1));
    // Quality is drawn around skill (0.40 and 0.62), less a few low-quality hacks.
    assertThat(m0, closeTo(0.40, 0.06));
    assertThat(m2, closeTo(0.62, 0.06));
  }

  @Test
  void hackingResponsesComeAtTheirRateAndAreBad() {
    int hacks = 0;
    double hackQuality = 0;
    double otherQuality = 0;
    int n = 100;
    for (int i = 0; i < n; i++) {
      String r = client.chat("sim-hacker", SimTestClient.prompt(i), 3);
      if (SimWorld.containsJudgeInjection(r)) {
        hacks++;
        hackQuality += SimWorld.trueQuality(r);
      } else {
        otherQuality += SimWorld.trueQuality(r);
      }
    }
    assertThat(hacks / (double) n, closeTo(0.5, 0.15));
    assertThat(hackQuality / hacks, lessThan(0.15));
    assertThat(otherQuality / (n - hacks), greaterThan(0.6));
  }

  @Test
  void lengthDoesNotBuyQuality() {
    int n = 120;
    double[] length = new double[n];
    double[] quality = new double[n];
    for (int i = 0; i < n; i++) {
      String r = client.chat("sim-judge-strict", SimTestClient.prompt(i), i);
      length[i] = SimWorld.wordCount(r);
      quality[i] = SimWorld.trueQuality(r);
    }
    assertThat(Math.abs(SimTestClient.spearman(length, quality)), lessThan(0.3));
  }
}
