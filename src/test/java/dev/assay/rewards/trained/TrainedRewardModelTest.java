package dev.assay.rewards.trained;

import static dev.assay.rewards.Fixtures.candidate;
import static dev.assay.rewards.Fixtures.id;
import static dev.assay.rewards.Fixtures.only;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Candidate;
import dev.assay.io.InputException;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.rewards.CandidateReward;
import dev.assay.rewards.PairPreference;
import dev.assay.rewards.RewardModelOutput;
import dev.assay.rewards.TextFeatures;
import dev.assay.stats.Distributions;
import dev.assay.testing.Pipelines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TrainedRewardModelTest {
  private static final String LIST = "\n- first point\n- second point\n- third point";
  private static TrainedRewardModel model;

  @TempDir Path tmp;

  /** Word salad from a fixed vocabulary; the "zephyr" word is kept out so a test can add it on purpose. */
  static String salad(Random rnd) {
    String[] vocab = {
      "river", "stone", "market", "theory", "signal", "garden", "engine", "method", "answer", "window", "planet",
      "memory", "circle", "bridge", "number", "letter", "forest", "motion", "energy", "silver", "pattern", "report"
    };
    StringBuilder b = new StringBuilder();
    int sentences = 2 + rnd.nextInt(5);
    for (int s = 0; s < sentences; s++) {
      int words = 4 + rnd.nextInt(7);
      for (int w = 0; w < words; w++) {
        b.append(w == 0 && s > 0 ? " " : w > 0 ? " " : "").append(vocab[rnd.nextInt(vocab.length)]);
      }
      b.append('.');
    }
    return b.toString();
  }

  /**
   * Synthetic consensus labels: 2 + 2 for a bulleted list + 1.5 for the word "zephyr" + Gaussian noise (sd 0.3), on
   * 300 word-salad responses (seeded): the model must learn to reward both patterns. Public: {@code
   * rewards.RewardModelsTest} trains the {@code trained} voter on them end to end.
   */
  public static List<ConsensusLabel> syntheticLabels() {
    Random rnd = new Random(11);
    List<ConsensusLabel> out = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      boolean list = rnd.nextBoolean();
      boolean zephyr = rnd.nextBoolean();
      String text = salad(rnd) + (zephyr ? " A zephyr passes." : "") + (list ? LIST : "");
      out.add(new ConsensusLabel("prompt " + i, text, 2 + (list ? 2 : 0) + (zephyr ? 1.5 : 0) + 0.3 * rnd.nextGaussian()));
    }
    return out;
  }

  @BeforeAll
  static void train() {
    model = TrainedRewardModel.train(syntheticLabels(), TextFeatures.defaults(), 7, "synthetic");
  }

  @Test
  void predictsHigherForThePatternsItWasTrainedToReward() {
    Random rnd = new Random(99); // unseen texts
    double listGain = 0;
    double wordGain = 0;
    int n = 30;
    for (int i = 0; i < n; i++) {
      String plain = salad(rnd);
      double base = model.predict(plain);
      double withList = model.predict(plain + LIST);
      double withWord = model.predict(plain + " A zephyr passes.");
      assertThat("a list raises the reward of " + plain, withList, greaterThan(base));
      assertThat("zephyr raises the reward of " + plain, withWord, greaterThan(base));
      listGain += (withList - base) / n;
      wordGain += (withWord - base) / n;
    }
    // The labels paid 2 for a list and 1.5 for the word. The list is its own feature (fmt.list_items) and comes back
    // almost whole (measured 1.84); the word is one n-gram in a block scaled to unit length per text, so its share is
    // diluted by the rest of the text and comes back smaller (measured 0.97), but clearly positive.
    assertThat(listGain, closeTo(2.0, 0.4));
    assertThat(wordGain, closeTo(1.25, 0.5));
    // Held-out error: above the label noise (0.3), since the model is not the truth; measured 0.53.
    assertThat(model.residualSd(), closeTo(0.53, 0.15));
    assertThat(model.examples(), is(300));
  }

  @Test
  void theSameLabelsAndSeedGiveTheSameModelAndItSurvivesShipping() {
    TrainedRewardModel again = TrainedRewardModel.train(syntheticLabels(), TextFeatures.defaults(), 7, "synthetic");
    TrainedRewardModel shipped = SerializableUtils.clone(model); // what Beam does to the DoFn that holds it
    String text = "A river of stone." + LIST;
    assertThat(again.predict(text), is(model.predict(text)));
    assertThat(shipped.predict(text), is(model.predict(text)));
    Map<String, Double> top = model.topFeatures(3);
    assertThat(top.size(), is(3));
  }

  @Test
  void readsLabelsAndTrainsFromAFile() throws IOException {
    Path file = tmp.resolve("labels.jsonl");
    StringBuilder b = new StringBuilder();
    for (ConsensusLabel l : syntheticLabels()) {
      b.append(Json.line(Map.of("prompt", l.prompt(), "response", l.response(), "label", l.label()))).append('\n');
    }
    Files.writeString(file, b);
    assertThat(ConsensusLabels.read(file).size(), is(300));
    TrainedRewardModel fromFile = TrainedRewardModel.train(file, 7);
    assertThat(fromFile.labelsSha256().length(), is(64));
    assertThat(fromFile.predict("A river." + LIST), greaterThan(fromFile.predict("A river.")));
  }

  @Test
  void badLabelFilesNameTheFileLineAndField() throws IOException {
    String good = "{\"prompt\": \"p\", \"response\": \"r\", \"label\": 4}\n";
    assertThat(readError(good + "{\"prompt\": \"p\", \"response\": \"r\", \"label\": \"4\"}\n").getMessage(),
        containsString("labels.jsonl:2: field 'label': expected a number, got string"));
    assertThat(readError(good + good + "{\"prompt\": \"p\", \"label\": 1}\n").getMessage(),
        containsString(":3: field 'response': missing required field"));
    InputException unknown = readError("{\"prompt\": \"p\", \"response\": \"r\", \"lable\": 4}\n");
    assertThat(unknown.line(), is(1L));
    assertThat(unknown.field(), is("lable"));
    assertThat(readError("{\"prompt\": \"p\", \"response\": \"r\", \"label\": 1e999}\n").getMessage(),
        containsString("must be a finite number"));
    assertThat(readError("not json\n").getMessage(), containsString("labels.jsonl:1: malformed JSON"));
    Path few = tmp.resolve("few.jsonl");
    Files.writeString(few, good + good);
    assertThat(assertThrows(InputException.class, () -> TrainedRewardModel.train(few, 1)).getMessage(),
        containsString("need at least 10 labels"));
  }

  private InputException readError(String content) throws IOException {
    Path file = tmp.resolve("labels.jsonl");
    Files.writeString(file, content);
    return assertThrows(InputException.class, () -> ConsensusLabels.read(file));
  }

  /**
   * The transform: rewards are predictions; the pair probability is Phi((r0 - r1) / (sigma sqrt 2)) with sigma the
   * held-out RMSE (about 0.53): for this list-vs-plain pair the gap is about 2 sigma sqrt 2, so P = Phi(2) = 0.976.
   */
  @Test
  void scoreWithTrainedModelRewardsPredictionsAndComparesThemWithTheModelsError() {
    List<Candidate> candidates =
        List.of(candidate("p", 0, "A river of stone." + LIST, null), candidate("p", 1, "A river of stone.", null));
    double r0 = model.predict(candidates.get(0).response());
    double r1 = model.predict(candidates.get(1).response());
    double expected = Distributions.normalCdf((r0 - r1) / (model.residualSd() * Math.sqrt(2)));
    TestPipeline p = Pipelines.create();
    RewardModelOutput out =
        p.apply(Create.of(candidates).withCoder(JsonCoder.of(Candidate.class))).apply(ScoreWithTrainedModel.of("trained", model));
    PAssert.that(out.rewards())
        .containsInAnyOrder(
            new CandidateReward("trained", "p", id("p", 0), r0, 1, 1, 0), new CandidateReward("trained", "p", id("p", 1), r1, 1, 1, 0));
    PAssert.that(out.preferences())
        .satisfies(
            ps -> {
              PairPreference pref = only(ps, PairPreference::first, id("p", 0));
              assertThat(pref.probabilityFirst(), closeTo(expected, 1e-12));
              assertThat(pref.probabilityFirst(), closeTo(0.976, 0.02));
              return null;
            });
    p.run().waitUntilFinish();
  }
}
