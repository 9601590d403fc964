package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.generation.Candidate;
import dev.assay.io.Failure;
import dev.assay.io.JsonCoder;
import dev.assay.ledger.Ledger;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.ChatChoice;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.TokenUsage;
import dev.assay.testing.FakeBackend;
import dev.assay.testing.Pipelines;
import dev.assay.testing.ScriptedFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleJudgmentsTest {
  @TempDir Path tmp;

  private static Candidate candidate(String prompt, int sample, String response) {
    return new Candidate(Candidate.idFor(prompt, "m", sample), prompt, "Say something.", "ref", response, "m", sample, "stop", null);
  }

  private static String responseUnderEvaluation(ChatRequest req, String tag) {
    String user = req.messages().get(req.messages().size() - 1).content();
    int start = user.indexOf("<" + tag + ">") + tag.length() + 2;
    int end = user.indexOf("</" + tag + ">", start);
    return user.substring(start, end).trim();
  }

  private static ChatResponse answer(String text, String finish) {
    return new ChatResponse("judge", List.of(new ChatChoice(0, text, finish)), new TokenUsage(10, 5));
  }

  /** good: 5, bad: 1, garbled: no score, long: cut by the token limit, boom: transport failure. */
  private static BackendProvider absoluteScript(String name) {
    return FakeBackend.register(
        name,
        req -> {
          String response = responseUnderEvaluation(req, "response");
          return switch (response) {
            case "good" -> answer("Feedback: complete and correct. [RESULT] 5", "stop");
            case "bad" -> answer("Feedback: wrong. [RESULT] 1", "stop");
            case "garbled" -> answer("I think it is fine overall.", "stop");
            case "long" -> answer("Feedback: this response rambles and", "length");
            default -> throw new ScriptedFailure("connection reset", 6);
          };
        });
  }

  private static JudgeDefinition absoluteJudge(int n) {
    PromptTemplate template = PromptTemplate.load(Path.of("configs/templates/absolute.yaml"));
    Rubric rubric = Rubric.load(Path.of("configs/rubrics/helpfulness.yaml"));
    return new JudgeDefinition("self", "judge", "judge-model", JudgmentKind.ABSOLUTE, n, 1.0, 256, ReferenceMode.NONE, template, rubric, null);
  }

  @Test
  void everyRequestBecomesOneJudgmentWithItsStatus() {
    TestPipeline p = Pipelines.create();
    Path ledger = tmp.resolve("ledger");
    List<Candidate> candidates =
        List.of(candidate("p", 0, "good"), candidate("p", 1, "bad"), candidate("p", 2, "garbled"), candidate("q", 0, "long"), candidate("q", 1, "boom"));
    PCollectionTuple out =
        p.apply(Create.of(candidates).withCoder(JsonCoder.of(Candidate.class)))
            .apply(SampleJudgments.by(absoluteJudge(2), 7, ledger, absoluteScript("abs-" + UUID.randomUUID())));

    PAssert.that(out.get(SampleJudgments.JUDGMENTS))
        .satisfies(
            js -> {
              Map<String, List<Judgment>> byCandidate = new HashMap<>();
              int count = 0;
              for (Judgment j : js) {
                count++;
                byCandidate.computeIfAbsent(j.candidateA(), k -> new ArrayList<>()).add(j);
                assertThat(j.judge(), is("self"));
                assertThat(j.referenceMode(), is(ReferenceMode.NONE));
              }
              assertThat("5 candidates x n=2", count, is(10));
              for (Judgment j : byCandidate.get("p/m/0")) {
                assertThat(j.status(), is(JudgmentStatus.OK));
                assertThat(j.score(), is(5));
              }
              for (Judgment j : byCandidate.get("p/m/1")) {
                assertThat(j.score(), is(1));
              }
              for (Judgment j : byCandidate.get("p/m/2")) {
                assertThat(j.status(), is(JudgmentStatus.UNPARSEABLE));
                assertThat(j.score(), nullValue());
              }
              for (Judgment j : byCandidate.get("q/m/0")) {
                assertThat(j.status(), is(JudgmentStatus.TRUNCATED));
              }
              for (Judgment j : byCandidate.get("q/m/1")) {
                assertThat(j.status(), is(JudgmentStatus.FAILED));
                assertThat(j.score(), nullValue());
                assertThat(j.raw(), nullValue());
              }
              return null;
            });
    PAssert.that(out.get(SampleJudgments.FAILURES))
        .satisfies(
            fs -> {
              List<Failure> list = new ArrayList<>();
              fs.forEach(list::add);
              assertThat(list.size(), is(2));
              for (Failure f : list) {
                assertThat(f.stage(), is("judge.self"));
                assertThat(f.errorClass(), is("ScriptedFailure"));
                assertThat(f.attempts(), is(6));
              }
              return null;
            });
    p.run().waitUntilFinish();
    Ledger.release(ledger);
  }

  @Test
  void pairwiseJudgesBothOrdersAndReadsVerdictsByPosition() {
    String name = "pw-" + UUID.randomUUID();
    // This judge always prefers the response that says "good", wherever it stands.
    BackendProvider script =
        FakeBackend.register(
            name,
            req -> answer(responseUnderEvaluation(req, "response_a").equals("good") ? "A is better. [RESULT] A" : "B is better. [RESULT] B", "stop"));
    PromptTemplate template = PromptTemplate.load(Path.of("configs/templates/pairwise.yaml"));
    JudgeDefinition judge =
        new JudgeDefinition("pair", "judge", "judge-model", JudgmentKind.PAIRWISE, 1, 1.0, 256, ReferenceMode.NONE, template, null, null);
    TestPipeline p = Pipelines.create();
    Path ledger = tmp.resolve("ledger-pw");
    PCollectionTuple out =
        p.apply(Create.of(List.of(candidate("p", 0, "good"), candidate("p", 1, "meh"), candidate("r", 0, "alone"))).withCoder(JsonCoder.of(Candidate.class)))
            .apply(SampleJudgments.by(judge, 7, ledger, script));
    PAssert.that(out.get(SampleJudgments.JUDGMENTS))
        .satisfies(
            js -> {
              int count = 0;
              for (Judgment j : js) {
                count++;
                assertThat(j.kind(), is(JudgmentKind.PAIRWISE));
                assertThat("the good response wins in both orders", j.preferredCandidate(), is("p/m/0"));
              }
              assertThat("one prompt with two candidates: two orders; a lone candidate has no pair", count, is(2));
              return null;
            });
    PAssert.that(out.get(SampleJudgments.FAILURES)).empty();
    p.run().waitUntilFinish();
    Ledger.release(ledger);
    assertThat(FakeBackend.get(name).calls(), is(2L));
  }
}
