package dev.assay.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code selfPreference} knob: a self-preferring model writes in a style its judge recognises, at no cost to the
 * quality of what it writes, and as a judge adds its setting (a fraction of the scale) to its own responses only.
 */
@Timeout(60)
class SimSelfPreferenceTest {
  private static final Pattern SCORE = Pattern.compile("\\[RESULT\\]\\s*(\\d)");
  private static final double SETTING = 0.2;
  private static final int N = 150;
  private static Simulator sim;
  private static SimTestClient client;
  private static final List<String> OWN = new ArrayList<>();
  private static final List<String> OTHERS = new ArrayList<>();

  @BeforeAll
  static void start() throws java.io.IOException {
    // The twin is the same judge without the knob: same taste seed, same accuracy and noise.
    ModelProfile selfish =
        ModelProfile.builder("sim-selfish").skill(0.5).exact().judgeAccuracy(0.8).judgeNoise(0.05).selfPreference(SETTING).build();
    ModelProfile twin = selfish.toBuilder().name("sim-twin").selfPreference(0).build();
    sim = Simulator.start(SimulatorConfig.defaults().withModel(selfish).withModel(twin));
    client = new SimTestClient(sim);
    for (int i = 0; i < N; i++) {
      OWN.add(client.chat("sim-selfish", SimTestClient.prompt(i), i));
      String other = client.chat("sim-m2", SimTestClient.prompt(i), i);
      if (!SimWorld.containsJudgeInjection(other)) {
        OTHERS.add(other);
      }
    }
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void ownResponsesCarryTheStyleAndOthersRarelyDo() {
    ModelProfile selfish = sim.config().model("sim-selfish").orElseThrow();
    assertThat(OWN.stream().filter(r -> SimStyle.isOwn(SimWorld.DEFAULT_SEED, selfish, r)).count(), is((long) N));
    long byChance = OTHERS.stream().filter(r -> SimStyle.isOwn(SimWorld.DEFAULT_SEED, selfish, r)).count();
    // 1 in 256 expected: 0.6 of 150; more than 5 would mean the mark is not specific to its model.
    assertThat(byChance, lessThan(6L));
  }

  @Test
  void styleCostsNoQuality() {
    double mean = OWN.stream().mapToDouble(SimWorld::trueQuality).average().orElseThrow();
    assertThat(mean, closeTo(0.5, 0.04));
  }

  @Test
  void theJudgeAddsItsSettingToItsOwnResponsesOnly() {
    // Scale 1-5: a bonus of 0.2 of the scale is 0.8 points before rounding; the twin scores the same texts without it.
    double own = meanScore("sim-selfish", OWN) - meanScore("sim-twin", OWN);
    double others = meanScore("sim-selfish", OTHERS) - meanScore("sim-twin", OTHERS);
    assertThat(own / 4, closeTo(SETTING, 0.03));
    assertThat(others / 4, closeTo(0, 0.02));
  }

  private static double meanScore(String judge, List<String> responses) {
    double sum = 0;
    for (int i = 0; i < responses.size(); i++) {
      String j = client.chat(judge, SimTestClient.absolutePrompt("Explain the topic.", responses.get(i), null, 5), i);
      Matcher m = SCORE.matcher(j);
      if (!m.find()) {
        throw new AssertionError("no score in: " + j);
      }
      sum += Integer.parseInt(m.group(1));
    }
    return sum / responses.size();
  }
}
