package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assay.generation.Candidate;
import dev.assay.ledger.RequestKey;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ResponseFormat;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuredJudgingTest {
  private static final PromptTemplate ABSOLUTE = PromptTemplate.load(Path.of("configs/templates/absolute.yaml"));
  private static final PromptTemplate PAIRWISE = PromptTemplate.load(Path.of("configs/templates/pairwise.yaml"));
  private static final Rubric RUBRIC = Rubric.load(Path.of("configs/rubrics/helpfulness.yaml"));

  private static JudgeDefinition absolute(boolean structured) {
    return new JudgeDefinition(
        "self", "judge", "m", JudgmentKind.ABSOLUTE, 1, 1.0, 256, ReferenceMode.NONE, ABSOLUTE, RUBRIC, null, structured);
  }

  private static JudgeDefinition pairwise(boolean structured) {
    return new JudgeDefinition(
        "pair", "judge", "m", JudgmentKind.PAIRWISE, 1, 1.0, 256, ReferenceMode.NONE, PAIRWISE, null, null, structured);
  }

  private static Candidate candidate(int sample) {
    return new Candidate(Candidate.idFor("p", "m", sample), "p", "Say something.", null, "r" + sample, "m", sample, "stop", null);
  }

  @Test
  void absoluteSchemaHoldsTheRubricRangeAndABoundedRationale() {
    JsonNode s = StructuredJudging.absolute(1, 5, 256).schema();
    assertThat(s.at("/properties/score/type").asText(), is("integer"));
    assertThat(s.at("/properties/score/minimum").asInt(), is(1));
    assertThat(s.at("/properties/score/maximum").asInt(), is(5));
    assertThat(s.at("/properties/rationale/maxLength").asInt(), is(128));
    assertThat(s.at("/required").toString(), is("[\"rationale\",\"score\"]"));
    assertThat(s.at("/additionalProperties").asBoolean(), is(false));
  }

  @Test
  void pairwiseSchemaAllowsOnlyABTie() {
    JsonNode s = StructuredJudging.pairwise(64).schema();
    assertThat(s.at("/properties/verdict/enum").toString(), is("[\"A\",\"B\",\"tie\"]"));
    assertThat(s.at("/properties/rationale/maxLength").asInt(), is(32));
  }

  @Test
  void rationaleLimitStaysWithinItsBounds() {
    assertThat(StructuredJudging.rationaleLimit(8), is(StructuredJudging.MIN_RATIONALE));
    assertThat(StructuredJudging.rationaleLimit(1_000_000), is(StructuredJudging.MAX_RATIONALE));
  }

  @Test
  void structuredAbsoluteAnswersParse() {
    ParsedJudgment ok = StructuredJudging.parseAbsolute("{\"rationale\": \" clear \", \"score\": 4}", "stop", 1, 5);
    assertThat(ok.ok(), is(true));
    assertThat(ok.score(), is(4));
    assertThat(ok.rationale(), is("clear"));
    assertThat(StructuredJudging.parseAbsolute("```json\n{\"rationale\":\"x\",\"score\":2}\n```", "stop", 1, 5).score(), is(2));
  }

  @Test
  void invalidStructuredResultsAreUnparseableNotClamped() {
    ParsedJudgment off = StructuredJudging.parseAbsolute("{\"rationale\": \"x\", \"score\": 9}", "stop", 1, 5);
    assertThat(off.status(), is(JudgmentStatus.UNPARSEABLE));
    assertThat(off.error(), containsString("outside"));
    assertThat(StructuredJudging.parseAbsolute("{\"rationale\": \"x\", \"score\": 3.5}", "stop", 1, 5).status(), is(JudgmentStatus.UNPARSEABLE));
    assertThat(StructuredJudging.parseAbsolute("{\"rationale\": \"x\", \"score\": \"4\"}", "stop", 1, 5).status(), is(JudgmentStatus.UNPARSEABLE));
    ParsedJudgment v = StructuredJudging.parsePairwise("{\"rationale\": \"x\", \"verdict\": \"C\"}", "stop");
    assertThat(v.status(), is(JudgmentStatus.UNPARSEABLE));
  }

  @Test
  void aCutOffObjectIsTruncatedAndFreeTextFallsBackToTheTextParsers() {
    ParsedJudgment cut = StructuredJudging.parseAbsolute("{\"rationale\": \"the response is", "length", 1, 5);
    assertThat(cut.status(), is(JudgmentStatus.TRUNCATED));
    assertThat(StructuredJudging.parseAbsolute("Feedback: fine. [RESULT] 3", "stop", 1, 5).score(), is(3));
    // The {"score": 4} shape without a rationale field still reads, through the text parser's JSON marker.
    assertThat(StructuredJudging.parseAbsolute("{\"score\": 4}", "stop", 1, 5).score(), is(4));
    assertThat(StructuredJudging.parseAbsolute("{\"grade\": 4}", "stop", 1, 5).status(), is(JudgmentStatus.UNPARSEABLE));
    assertThat(StructuredJudging.parsePairwise("Both fine. [RESULT] B", "stop").verdict(), is(Verdict.B));
  }

  @Test
  void structuredPairwiseAnswersParse() {
    ParsedJudgment t = StructuredJudging.parsePairwise("{\"rationale\": \"same\", \"verdict\": \"tie\"}", "stop");
    assertThat(t.verdict(), is(Verdict.TIE));
    assertThat(pairwise(true).parse("{\"rationale\": \"a\", \"verdict\": \"A\"}", "stop").verdict(), is(Verdict.A));
  }

  @Test
  void onlyAStructuredJudgeSendsASchemaAndItsLedgerKeyAloneChanges() {
    JudgeItem item = JudgeItem.single(candidate(0));
    ChatRequest plain = SampleJudgments.request(absolute(false), 7, item, absolute(false).render(item, null), 0);
    ChatRequest structured = SampleJudgments.request(absolute(true), 7, item, absolute(true).render(item, null), 0);
    assertThat(plain.responseFormat(), is(nullValue()));
    ResponseFormat f = structured.responseFormat();
    assertThat(f.name(), is("absolute_judgment"));
    assertThat(structured.messages().get(structured.messages().size() - 1).content(), endsWith("from 1 to 5>}."));
    // A free-text judge's request is the one it always was: the same key as the 11-component definition gives.
    JudgeDefinition legacy =
        new JudgeDefinition("self", "judge", "m", JudgmentKind.ABSOLUTE, 1, 1.0, 256, ReferenceMode.NONE, ABSOLUTE, RUBRIC, null);
    ChatRequest old = SampleJudgments.request(legacy, 7, item, legacy.render(item, null), 0);
    assertThat(RequestKey.chat(plain, "t", 0).equals(RequestKey.chat(old, "t", 0)), is(true));
    assertThat(RequestKey.chat(plain, "t", 0).equals(RequestKey.chat(structured, "t", 0)), is(false));
    List<String> kinds = List.of(pairwise(true).responseFormat().name());
    assertThat(kinds.get(0), is("pairwise_judgment"));
  }

  @Test
  void theRecipeKeyDefaultsToFalse() {
    JudgeSpec spec = new JudgeSpec("j", "e", "absolute", null, "t.yaml", "r.yaml", null, null, null, null);
    assertThat(spec.structured(), is(false));
    assertThat(new JudgeSpec("j", "e", "absolute", null, "t.yaml", "r.yaml", null, null, null, null, true).structured(), is(true));
  }
}
