package dev.assay.judging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.generation.Candidate;
import dev.assay.io.Failure;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.ledger.Ledger;
import dev.assay.ledger.LedgerEntry;
import dev.assay.llm.BackendProvider;
import dev.assay.llm.ChatChoice;
import dev.assay.llm.ChatRequest;
import dev.assay.llm.ChatResponse;
import dev.assay.llm.EndpointConfig;
import dev.assay.llm.SharedEndpoint;
import dev.assay.llm.TokenUsage;
import dev.assay.run.StageMetrics;
import dev.assay.sim.FaultPlan;
import dev.assay.sim.Simulator;
import dev.assay.sim.SimulatorConfig;
import dev.assay.testing.FakeBackend;
import dev.assay.testing.Pipelines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference modes end to end against the in-process simulator: what the judge is sent (read back from the ledger,
 * which records every request as sent), what is recorded on each judgment, and what a revision costs.
 */
@Timeout(120) // a hung connection must fail the test, not the build
class SampleJudgmentsReferenceModesTest {
  private static final String JUDGE_MODEL = "sim-judge-strict";
  private static final String ENDPOINT = "judge";
  /** What PAssert callbacks saw (same JVM on the direct runner), read back by the test after the run. */
  private static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

  private static Simulator sim;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws IOException {
    sim = Simulator.start(SimulatorConfig.defaults());
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static final String GLACIER_REF = "Glaciers carve valleys by abrasion and plucking as the ice moves downhill.";

  /** Two prompts with a reference answer, one without; distinct responses, so a request names its candidate. */
  private static List<Candidate> candidates() {
    String p1 = "Explain how glaciers shape valleys.";
    String p2 = "Explain why bridges need expansion joints.";
    return List.of(
        new Candidate("p1/m/0", "p1", p1, GLACIER_REF, "Glaciers scrape rock and deepen valleys over time.", "m", 0, "stop", null),
        new Candidate("p1/m/1", "p1", p1, GLACIER_REF, "Rivers make valleys; glaciers are just frozen rivers.", "m", 1, "stop", null),
        new Candidate("p2/m/0", "p2", p2, null, "Steel expands in heat, so joints give the deck room to move.", "m", 0, "stop", null),
        new Candidate("p2/m/1", "p2", p2, null, "Joints make bridges look nicer to drivers.", "m", 1, "stop", null));
  }

  private static JudgeDefinition judge(ReferenceMode mode, int n, int maxTokens) {
    return new JudgeDefinition(
        "self", ENDPOINT, JUDGE_MODEL, JudgmentKind.ABSOLUTE, n, 1.0, maxTokens, mode,
        PromptTemplate.load(Path.of("configs/templates/absolute.yaml")),
        Rubric.load(Path.of("configs/rubrics/helpfulness.yaml")),
        mode == ReferenceMode.ADAPTED ? PromptTemplate.load(Path.of("configs/templates/revise.yaml")) : null);
  }

  private static BackendProvider endpoint(Simulator s, int maxRetries) {
    EndpointConfig c =
        new EndpointConfig(s.baseUrl(), JUDGE_MODEL, null, 16, null, null, maxRetries, 1L, 1L, 2_000L, 10_000L, null, null, null, null);
    return new SharedEndpoint(ENDPOINT, c);
  }

  /** One run: judgments and failures as the pipeline emitted them (sorted by id), and the run's metrics. */
  private record Run(List<Judgment> judgments, List<Failure> failures, PipelineResult result) {
    long counter(String what) {
      long total = 0;
      for (MetricResult<Long> c :
          result.metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(StageMetrics.NAMESPACE, StageMetrics.endpointCounter(ENDPOINT, what)))
                      .build())
              .getCounters()) {
        total += c.getAttempted();
      }
      return total;
    }
  }

  @SuppressWarnings("unchecked")
  private static Run run(JudgeDefinition judge, List<Candidate> cs, Path ledger, BackendProvider backend) {
    String tag = UUID.randomUUID().toString();
    TestPipeline p = Pipelines.create();
    PCollectionTuple out =
        p.apply(Create.of(cs).withCoder(JsonCoder.of(Candidate.class))).apply(SampleJudgments.by(judge, 7, ledger, backend));
    PAssert.that(out.get(SampleJudgments.JUDGMENTS))
        .satisfies(
            js -> {
              List<Judgment> all = new ArrayList<>();
              js.forEach(all::add);
              all.sort(Comparator.comparing(Judgment::id));
              SEEN.put(tag + "/judgments", all);
              return null;
            });
    PAssert.that(out.get(SampleJudgments.FAILURES))
        .satisfies(
            fs -> {
              List<Failure> all = new ArrayList<>();
              fs.forEach(all::add);
              all.sort(Comparator.comparing(Failure::inputId));
              SEEN.put(tag + "/failures", all);
              return null;
            });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Ledger.release(ledger);
    return new Run((List<Judgment>) SEEN.remove(tag + "/judgments"), (List<Failure>) SEEN.remove(tag + "/failures"), result);
  }

  /** Every request the ledger recorded, as sent. */
  private static List<ChatRequest> sent(Path ledger) {
    try (Stream<Path> shards = Files.list(ledger)) {
      List<ChatRequest> out = new ArrayList<>();
      for (Path shard : shards.toList()) {
        for (String line : Files.readAllLines(shard)) {
          out.add(Json.parse(Json.parse(line, LedgerEntry.class).request(), ChatRequest.class));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The recorded answer to the request whose user message contains {@code marker}. */
  private static Map<String, String> revisionsByResponse(Path ledger) {
    Map<String, String> out = new HashMap<>();
    try (Stream<Path> shards = Files.list(ledger)) {
      for (Path shard : shards.toList()) {
        for (String line : Files.readAllLines(shard)) {
          LedgerEntry e = Json.parse(line, LedgerEntry.class);
          String user = user(Json.parse(e.request(), ChatRequest.class));
          if (isRevision(user)) {
            out.put(block(user, "response"), Json.parse(e.response(), ChatResponse.class).choices().get(0).content());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String user(ChatRequest r) {
    return r.messages().get(r.messages().size() - 1).content();
  }

  private static boolean isRevision(String user) {
    return user.contains("###Response to revise");
  }

  private static String block(String user, String tag) {
    int from = user.indexOf("<" + tag + ">");
    int to = user.lastIndexOf("</" + tag + ">");
    return from < 0 || to < 0 ? null : user.substring(from + tag.length() + 2, to).strip();
  }

  @Test
  void noneSendsNoReferenceBlockEvenWhenTheItemHasOne() {
    Path ledger = tmp.resolve("ledger");
    Run r = run(judge(ReferenceMode.NONE, 2, 256), candidates(), ledger, endpoint(sim, 2));
    assertThat(r.judgments(), hasSize(8));
    for (Judgment j : r.judgments()) {
      assertThat(j.referenceMode(), is(ReferenceMode.NONE));
      assertThat(j.status(), is(JudgmentStatus.OK));
    }
    List<ChatRequest> requests = sent(ledger);
    assertThat(requests, hasSize(8));
    for (ChatRequest req : requests) {
      assertThat(user(req), not(containsString("<reference>")));
      assertThat(user(req), not(containsString(GLACIER_REF)));
      assertThat(user(req), not(containsString("Reference answer")));
    }
    assertThat(r.failures(), hasSize(0));
  }

  @Test
  void givenSendsTheItemsReferenceAndFallsBackToNoneWithoutOne() {
    Path ledger = tmp.resolve("ledger");
    Run r = run(judge(ReferenceMode.GIVEN, 2, 256), candidates(), ledger, endpoint(sim, 2));
    assertThat(r.judgments(), hasSize(8));
    for (Judgment j : r.judgments()) {
      ReferenceMode expected = j.itemId().equals("p1") ? ReferenceMode.GIVEN : ReferenceMode.NONE;
      assertThat(j.id(), j.referenceMode(), is(expected));
    }
    List<ChatRequest> requests = sent(ledger);
    assertThat(requests, hasSize(8));
    for (ChatRequest req : requests) {
      String user = user(req);
      if (user.contains("glaciers shape valleys")) {
        assertThat(block(user, "reference"), is(GLACIER_REF));
      } else {
        assertThat("an item without a reference is judged as in mode none", block(user, "reference"), nullValue());
      }
    }
  }

  @Test
  void adaptedRevisesEachCandidateOnceAndGradesAgainstTheRevision() {
    Path ledger = tmp.resolve("ledger");
    int n = 3;
    long before = sim.servedCount("/v1/chat/completions");
    Run r = run(judge(ReferenceMode.ADAPTED, n, 256), candidates(), ledger, endpoint(sim, 2));
    long served = sim.servedCount("/v1/chat/completions") - before;
    assertThat("one revision per candidate, then n gradings", served, is(4L + 4L * n));

    assertThat(r.judgments(), hasSize(4 * n));
    assertThat(r.failures(), hasSize(0));
    Map<String, String> revisions = revisionsByResponse(ledger);
    assertThat(revisions.size(), is(4));
    for (ChatRequest req : sent(ledger)) {
      String user = user(req);
      if (isRevision(user)) {
        assertThat("the reviser is told what the grade will be about", user, containsString("###Rubric"));
        assertThat(user, containsString("Score 5:"));
        continue;
      }
      String revision = revisions.get(block(user, "response"));
      assertThat(revision, not(nullValue()));
      assertThat("graded against the revision of the same response", block(user, "reference"), is(revision.strip()));
      assertThat(user, not(containsString(GLACIER_REF)));
    }
    for (Judgment j : r.judgments()) {
      assertThat(j.referenceMode(), is(ReferenceMode.ADAPTED));
      assertThat(j.status(), is(JudgmentStatus.OK));
    }
    assertThat("the revisions are paid for and counted", r.counter("requests"), is(4L + 4L * n));

    // A rerun is served from the ledger, revisions included, and judges the same.
    long again = sim.servedCount();
    Run rerun = run(judge(ReferenceMode.ADAPTED, n, 256), candidates(), ledger, endpoint(sim, 2));
    assertThat(sim.servedCount(), is(again));
    assertThat(rerun.judgments(), equalTo(r.judgments()));
    assertThat(rerun.counter("requests"), is(0L));
    assertThat(rerun.counter("ledger_hits"), is(4L + 4L * n));
  }

  @Test
  void pairwiseAdaptedStillRevisesEachCandidateOnce() {
    Path ledger = tmp.resolve("ledger");
    String p = "Explain how glaciers shape valleys.";
    List<Candidate> three =
        List.of(
            new Candidate("p/m/0", "p", p, null, "Glaciers scrape rock and deepen valleys.", "m", 0, "stop", null),
            new Candidate("p/m/1", "p", p, null, "Glaciers are frozen rivers.", "m", 1, "stop", null),
            new Candidate("p/m/2", "p", p, null, "Ice moves and valleys become U-shaped.", "m", 2, "stop", null));
    JudgeDefinition pairwise =
        new JudgeDefinition(
            "pair", ENDPOINT, JUDGE_MODEL, JudgmentKind.PAIRWISE, 1, 1.0, 256, ReferenceMode.ADAPTED,
            PromptTemplate.load(Path.of("configs/templates/pairwise.yaml")), null,
            PromptTemplate.load(Path.of("configs/templates/revise.yaml")));
    long before = sim.servedCount("/v1/chat/completions");
    Run r = run(pairwise, three, ledger, endpoint(sim, 2));
    assertThat(r.judgments(), hasSize(6));
    assertThat(
        "6 ordered pairs share 3 revisions (the item shown first is revised)",
        sim.servedCount("/v1/chat/completions") - before, is(3L + 6L));
    assertThat(r.counter("requests") + r.counter("ledger_hits"), is(6L + 6L));
  }

  @Test
  void aRevisionThatFailsFailsItsJudgmentsWithTheCause() throws IOException {
    Path ledger = tmp.resolve("ledger");
    int n = 3;
    try (Simulator broken = Simulator.start(SimulatorConfig.defaults().withFaults(FaultPlan.rates(0, 1.0, 0, 0, 0, 0)))) {
      Run r = run(judge(ReferenceMode.ADAPTED, n, 256), candidates(), ledger, endpoint(broken, 0));
      assertThat("nothing is graded without its revision", broken.servedCount("/v1/chat/completions"), is(4L));
      assertThat(r.judgments(), hasSize(4 * n));
      for (Judgment j : r.judgments()) {
        assertThat(j.status(), is(JudgmentStatus.FAILED));
        assertThat(j.referenceMode(), is(ReferenceMode.ADAPTED));
        assertThat(j.score(), nullValue());
        assertThat(j.error(), containsString("revision failed"));
        assertThat(j.error(), containsString("ServerErrorException"));
      }
      assertThat(r.failures(), hasSize(4 * n));
      for (Failure f : r.failures()) {
        assertThat(f.stage(), is("judge.self"));
        assertThat(f.errorClass(), is("ServerErrorException"));
        assertThat(f.message(), containsString("revision failed"));
        assertThat(f.attempts(), is(1));
      }
      assertThat("one request per revision, counted once", r.counter("requests"), is(4L));
      assertThat(r.counter("failures"), is(4L));
    }
  }

  @Test
  void aRevisionCutOffAtMaxTokensIsNoReference() {
    // With 3 tokens the reviser's answer stops mid-sentence (finish_reason length): half a reference would mislead
    // the grade, so the judgments fail and say why, and no grading request is sent.
    Path ledger = tmp.resolve("ledger");
    long before = sim.servedCount("/v1/chat/completions");
    Run r = run(judge(ReferenceMode.ADAPTED, 2, 3), candidates(), ledger, endpoint(sim, 2));
    assertThat(sim.servedCount("/v1/chat/completions") - before, is(4L));
    for (Judgment j : r.judgments()) {
      assertThat(j.status(), is(JudgmentStatus.FAILED));
      assertThat(j.error(), containsString("cut off"));
    }
    assertThat(r.failures(), hasSize(8));
    for (Failure f : r.failures()) {
      assertThat(f.errorClass(), is("UnusableRevision"));
    }
  }

  @Test
  void anEmptyRevisionIsNoReference() {
    String name = "empty-rev-" + UUID.randomUUID();
    BackendProvider script =
        FakeBackend.register(
            name,
            req -> {
              String user = user(req);
              String text = isRevision(user) ? (user.contains("Glaciers scrape") ? "   " : null) : "Feedback: fine. [RESULT] 4";
              List<ChatChoice> choices = text == null ? List.of() : List.of(new ChatChoice(0, text, "stop"));
              return new ChatResponse(JUDGE_MODEL, choices, new TokenUsage(10, 5));
            });
    Path ledger = tmp.resolve("ledger");
    Run r = run(judge(ReferenceMode.ADAPTED, 2, 256), candidates().subList(0, 2), ledger, script);
    assertThat("two revisions, nothing graded", FakeBackend.get(name).calls(), is(2L));
    assertThat(r.judgments(), hasSize(4));
    for (Judgment j : r.judgments()) {
      assertThat(j.status(), is(JudgmentStatus.FAILED));
      assertThat(j.referenceMode(), is(ReferenceMode.ADAPTED));
      assertThat(j.error(), containsString(j.candidateA().equals("p1/m/0") ? "empty" : "no choices"));
    }
    assertThat(r.failures(), hasSize(4));
  }
}
