package dev.assay.rewards;

import static dev.assay.rewards.Fixtures.candidate;
import static dev.assay.rewards.Fixtures.notOk;
import static dev.assay.rewards.Fixtures.score;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notANumber;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.assay.generation.Candidate;
import dev.assay.judging.JudgeDefinition;
import dev.assay.judging.JudgeItem;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ParsedJudgment;
import dev.assay.judging.PrometheusEvalImport;
import dev.assay.judging.PromptTemplate;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Rubric;
import dev.assay.judging.Verdict;
import dev.assay.llm.ChatChoice;
import dev.assay.llm.ChatMessage;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.Endpoints;
import dev.assay.llm.LlmBackend;
import dev.assay.sim.ModelProfile;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LengthBiasProbeTest {
  /**
   * Ten candidates of 10, 20, ..., 100 words scored 1, 1, 2, 2, 3, 3, 4, 4, 5, 5. By hand: mean words 55, mean score
   * 3; Sxy = 2 (45*2 + 35*2 + 25*1 + 15*1 + 5*0) = 400, Sxx = 2 (45² + 35² + 25² + 15² + 5²) = 8250, Syy = 20;
   * R² = 400² / (8250 * 20) = 0.969697, slope 400 / 8250 = 0.048485 per word = 4.8485 per 100 words, intercept
   * 3 - 0.048485 * 55 = 0.333333. Spearman: ranks 1..10 against tied ranks 1.5, 1.5, 3.5, ... = 0.984732.
   */
  @Test
  void rSquaredOfScoreOnLengthByHand() {
    List<Candidate> candidates = new ArrayList<>();
    List<Judgment> judgments = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      candidates.add(candidate("p", i, "word ".repeat(10 * (i + 1)), null));
      judgments.add(score("j", "p", i, 0, 1 + i / 2));
    }
    judgments.add(notOk("j", "p", 0, 1, JudgmentStatus.UNPARSEABLE));
    judgments.add(score("j", "p", 99, 0, 5)); // no such candidate
    LengthBias b = LengthBiasProbe.measure(judgments, candidates);
    assertThat(b.rSquared(), closeTo(0.969697, 1e-6));
    assertThat(b.slopePer100Words(), closeTo(4.848485, 1e-6));
    assertThat(b.intercept(), closeTo(1.0 / 3, 1e-9));
    assertThat(b.spearman(), closeTo(0.984732, 1e-6));
    assertThat(b.used(), is(10L));
    assertThat(b.notOk(), is(1L));
    assertThat(b.withoutCandidate(), is(1L));
    assertThat(b.biased(), is(true));
    assertThat(b.verdict(), containsString("length explains 97.0% of score variance"));
    assertThat(b.verdict(), containsString("the judge is length-biased, favouring longer responses"));
  }

  @Test
  void saysWhenItCannotMeasure() {
    List<Candidate> candidates = new ArrayList<>();
    List<Judgment> judgments = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      candidates.add(candidate("p", i, "word ".repeat(i + 1), null));
      judgments.add(score("j", "p", i, 0, 3));
    }
    LengthBias constant = LengthBiasProbe.measure(judgments, candidates);
    assertThat(constant.rSquared(), notANumber());
    assertThat(constant.biased(), is(false));
    assertThat(constant.verdict(), containsString("scores do not vary"));
    // 10 points, R² = 0.131 (scipy: r² 0.131313, p 0.3035): over the threshold, but ten judgments prove nothing.
    int[] scores = {2, 4, 1, 3, 5, 2, 4, 3, 5, 3};
    List<Judgment> noisy = new ArrayList<>();
    List<Candidate> tens = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tens.add(candidate("p", i, "word ".repeat(10 * (i + 1)), null));
      noisy.add(score("j", "p", i, 0, scores[i]));
    }
    LengthBias weak = LengthBiasProbe.measure(noisy, tens);
    assertThat(weak.rSquared(), closeTo(0.131313, 1e-6));
    assertThat(weak.pValue(), closeTo(0.303458, 1e-5));
    assertThat(weak.biased(), is(false));
    assertThat(weak.verdict(), containsString("but that is not significant (p = 0.30): no firm length bias"));
    LengthBias few = LengthBiasProbe.measure(judgments.subList(0, 5), candidates);
    assertThat(few.verdict(), containsString("too few scored judgments (5, need 10)"));
    assertThrows(IllegalArgumentException.class, () -> LengthBiasProbe.measure(List.of(), candidates));
    List<Judgment> twoJudges = List.of(score("j", "p", 0, 0, 3), score("k", "p", 0, 0, 3));
    assertThrows(IllegalArgumentException.class, () -> LengthBiasProbe.measure(twoJudges, candidates));
    List<Judgment> pairwise = List.of(Fixtures.verdict("j", "p", 0, 1, 0, Verdict.A));
    assertThrows(IllegalArgumentException.class, () -> LengthBiasProbe.measure(pairwise, candidates));
  }

  /**
   * The simulator's judges over HTTP, through Assay's own absolute template and parser. Two judges identical but for
   * {@code lengthBias} (0 and 0.25 of the scale per 100 words; same taste seed, accuracy 0.7, noise 0.1) grade the
   * same 160 responses of a policy that never reward-hacks, twice each. The simulator's true quality does not depend
   * on length, so what the probe finds for the second judge is its configured bias.
   */
  @Test
  @Timeout(120)
  void findsTheSimulatorsLengthBias() throws IOException {
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withModel(ModelProfile.builder("sim-writer").skill(0.55).build())
            .withModel(ModelProfile.builder("sim-plain").exact().judgeNoise(0.1).driftSeed(2024).build())
            .withModel(ModelProfile.builder("sim-wordy").exact().judgeNoise(0.1).lengthBias(0.25).driftSeed(2024).build());
    PromptTemplate template = PromptTemplate.load(Path.of("configs/templates/absolute.yaml"));
    Rubric rubric = Rubric.load(Path.of("configs/rubrics/helpfulness.yaml"));
    String[] topics = {"glaciers", "compilers", "inflation", "vaccines", "bridges", "entropy", "markets", "orbits"};
    try (Simulator sim = Simulator.start(config);
        LlmBackend client = Endpoints.unshared(EndpointConfig.of(sim.baseUrl(), "sim-writer"), System::getenv)) {
      List<CompletableFuture<Candidate>> generating = new ArrayList<>();
      for (int i = 0; i < 160; i++) {
        String prompt = "Explain " + topics[i % topics.length] + " and " + topics[(i * 3 + 1) % topics.length] + ", question " + i + ".";
        String promptId = "sim/" + i;
        ChatRequest req = new ChatRequest("sim-writer", List.of(ChatMessage.user(prompt)), 0.8, 1.0, 512, 1, (long) i);
        generating.add(
            client.chat(req).thenApply(r -> new Candidate(Candidate.idFor(promptId, "sim-writer", 0), promptId, prompt, null,
                r.choices().get(0).content(), "sim-writer", 0, "stop", null)));
      }
      List<Candidate> candidates = generating.stream().map(CompletableFuture::join).toList();
      LengthBias plain = LengthBiasProbe.measure(judge(client, "sim-plain", template, rubric, candidates), candidates);
      LengthBias wordy = LengthBiasProbe.measure(judge(client, "sim-wordy", template, rubric, candidates), candidates);
      assertThat(plain.used(), is(320L));
      assertThat(wordy.used(), is(320L));
      // Measured (deterministic simulator): 0.2% for the unbiased judge, 6.7% for the biased one, whose slope is
      // the configured +1.00 point per 100 words (0.25 of the 1-5 scale).
      assertThat(plain.rSquared(), closeTo(0.002, 0.005));
      assertThat(wordy.rSquared(), closeTo(0.067, 0.005));
      assertThat(wordy.slopePer100Words(), closeTo(1.0, 0.05));
      assertThat(wordy.rSquared() - plain.rSquared(), greaterThan(0.05));
      assertThat("no length bias configured, none found", plain.biased(), is(false));
      assertThat(wordy.biased(), is(true));
      assertThat(wordy.verdict(), containsString("the judge is length-biased, favouring longer responses"));
    }
  }

  private static List<Judgment> judge(
      LlmBackend client, String model, PromptTemplate template, Rubric rubric, List<Candidate> candidates) {
    JudgeDefinition judge =
        new JudgeDefinition(model, "sim", model, JudgmentKind.ABSOLUTE, 2, 1.0, 256, ReferenceMode.NONE, template, rubric, null);
    List<CompletableFuture<Judgment>> calls = new ArrayList<>();
    for (Candidate c : candidates) {
      for (int s = 0; s < judge.n(); s++) {
        int sample = s;
        List<ChatMessage> messages = judge.render(JudgeItem.single(c), null);
        ChatRequest req = new ChatRequest(model, messages, 1.0, 1.0, 256, 1, (long) (1000 * sample + c.promptId().hashCode()));
        calls.add(
            client.chat(req).thenApply(r -> {
              ChatChoice choice = r.choices().get(0);
              ParsedJudgment parsed = judge.parse(choice.content(), choice.finishReason());
              return new Judgment(model + "/" + c.id() + "/" + sample, c.promptId(), JudgmentKind.ABSOLUTE, model, model,
                  judge.templateTag(), c.id(), null, sample, parsed.status(), parsed.score(), null, parsed.rationale(),
                  choice.content(), ReferenceMode.NONE, null, "llm", parsed.error());
            }));
      }
    }
    return calls.stream().map(CompletableFuture::join).toList();
  }

  /**
   * Real data: the 960 GPT-4 judgments (320 responses x 3, 1-5 scale) of Prometheus' MT-Bench evaluation set,
   * imported by {@link PrometheusEvalImport}. The figures are pinned so a change in the probe or the importer shows.
   */
  @Test
  void measuresGpt4OnMtBench() {
    Path file = SharedData.require("prometheus-eval/mt_bench_eval.json");
    PrometheusEvalImport.Result r = PrometheusEvalImport.read(file);
    LengthBias b = LengthBiasProbe.measure(r.judgments(), r.candidates());
    assertThat(b.judgments(), is(960L));
    assertThat(b.used(), is(960L));
    // Measured: R² 0.0743 (p < 1e-16), Spearman 0.293, +0.248 points per 100 words. Over the 5% threshold, so the
    // probe calls GPT-4 length-biased here; on MT-Bench stronger models also write longer answers, so part of this is
    // real quality: an upper bound on the bias.
    assertThat(b.rSquared(), closeTo(0.0743, 0.00005));
    assertThat(b.spearman(), closeTo(0.293, 0.0005));
    assertThat(b.slopePer100Words(), closeTo(0.248, 0.0005));
    assertThat(b.biased(), is(true));
    assertThat(b.verdict(), containsString("length explains 7.4% of score variance"));
  }
}
