package dev.assay.consistency;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.assay.io.Failure;
import dev.assay.io.JsonCoder;
import dev.assay.rewards.CandidateReward;
import dev.assay.run.StageMetrics;
import dev.assay.testing.Pipelines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * MeasureConsistency on hand-made rewards. Current model "now", previous "before".
 *
 * <pre>
 *   p1  same order                      C = 1
 *   p2  ties on both sides              tau 0.8, C = 0.9
 *   p3  two of six pairs swapped        tau 1/3, C = 2/3
 *   p4  three of six swapped            tau 0,   C = 0.5 (exactly)
 *   p5  reversed                        C = 0
 *   p6  previous all tied               undefined: all_tied_previous
 *   p7  no previous rewards             undefined: too_few_candidates
 *   p8  previous reward undefined (NaN) for one of two: too_few_candidates
 *   p9  two current rewards for one candidate: failure DuplicateReward
 *   p10 previous side mixes two reward models: failure MixedRewardModels
 * </pre>
 */
class MeasureConsistencyTest {
  private static final List<CandidateReward> CURRENT = new ArrayList<>();
  private static final List<CandidateReward> PREVIOUS = new ArrayList<>();

  private static void prompt(String id, double[] now, double[] before) {
    for (int i = 0; i < now.length; i++) {
      CURRENT.add(reward("now", id, i, now[i]));
    }
    for (int i = 0; i < before.length; i++) {
      PREVIOUS.add(reward("before", id, i, before[i]));
    }
  }

  private static CandidateReward reward(String model, String prompt, int candidate, double r) {
    boolean defined = !Double.isNaN(r);
    return new CandidateReward(model, prompt, prompt + "/c" + candidate, r, 3, defined ? 3 : 0, 0.0);
  }

  static {
    prompt("p1", new double[] {3, 2, 1}, new double[] {5, 4, 2});
    prompt("p2", new double[] {5, 5, 3, 1}, new double[] {4, 3, 3, 1});
    prompt("p3", new double[] {4, 3, 2, 1}, new double[] {3, 4, 1, 2});
    prompt("p4", new double[] {4, 3, 2, 1}, new double[] {2, 4, 1, 3});
    prompt("p5", new double[] {1, 2, 3}, new double[] {3, 2, 1});
    prompt("p6", new double[] {1, 2, 3}, new double[] {2, 2, 2});
    prompt("p7", new double[] {1, 2, 3}, new double[] {});
    prompt("p8", new double[] {1, 2}, new double[] {1, Double.NaN});
    prompt("p9", new double[] {1, 2}, new double[] {1, 2});
    CURRENT.add(reward("now", "p9", 0, 1.5));
    prompt("p10", new double[] {1, 2}, new double[] {1});
    PREVIOUS.add(reward("other", "p10", 1, 2));
  }

  private PCollectionTuple measure(TestPipeline p, MeasureConsistency transform) {
    return MeasureConsistency.inputs(
            p.apply("Current", Create.of(CURRENT).withCoder(JsonCoder.of(CandidateReward.class))),
            p.apply("Previous", Create.of(PREVIOUS).withCoder(JsonCoder.of(CandidateReward.class))))
        .apply(transform.inShards(3));
  }

  private static Map<String, Double> byPrompt(Iterable<PromptConsistency> ps) {
    Map<String, Double> out = new HashMap<>();
    ps.forEach(x -> out.put(x.promptId(), x.consistency()));
    return out;
  }

  @Test
  void reportModeKeepsEveryMeasuredPromptAndSummarises() {
    TestPipeline p = Pipelines.create();
    PCollectionTuple out = measure(p, MeasureConsistency.reporting());
    PAssert.that(out.get(MeasureConsistency.KEPT)).satisfies(ps -> {
      Map<String, Double> c = byPrompt(ps);
      assertThat(c.keySet(), equalTo(java.util.Set.of("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8")));
      assertThat(c.get("p1"), is(1.0));
      assertThat(c.get("p2"), closeTo(0.9, 1e-15));
      assertThat(c.get("p3"), closeTo(2.0 / 3, 1e-15));
      assertThat(c.get("p4"), is(0.5));
      assertThat(c.get("p5"), is(0.0));
      assertThat(c.get("p6"), nullValue());
      assertThat(c.get("p7"), nullValue());
      assertThat(c.get("p8"), nullValue());
      return null;
    });
    PAssert.that(out.get(MeasureConsistency.REJECTED)).empty();
    PAssert.that(out.get(MeasureConsistency.FAILURES)).satisfies(fs -> {
      Map<String, Failure> byId = new HashMap<>();
      fs.forEach(f -> byId.put(f.inputId(), f));
      assertThat(byId.keySet(), equalTo(java.util.Set.of("p9", "p10")));
      assertThat(byId.get("p9").errorClass(), is("DuplicateReward"));
      assertThat(byId.get("p9").message(), is("current side has two rewards for candidate p9/c0"));
      assertThat(byId.get("p9").stage(), is("consistency"));
      assertThat(byId.get("p10").errorClass(), is("MixedRewardModels"));
      assertThat(byId.get("p10").input(), containsString("\"reward_model\":\"other\""));
      return null;
    });
    PAssert.thatSingleton(out.get(MeasureConsistency.SUMMARY)).satisfies(s -> {
      assertThat(s.prompts(), is(10L));
      assertThat(s.kept(), is(8L));
      assertThat(s.rejected(), is(0L));
      assertThat(s.failed(), is(2L));
      assertThat(s.defined(), is(5L));
      assertThat(s.undefinedReasons(), equalTo(Map.of("all_tied_previous", 1L, "too_few_candidates", 2L)));
      // C = (1 + 0.9 + 2/3 + 0.5 + 0) / 5
      assertThat(s.consistency(), closeTo((1 + 0.9 + 2.0 / 3 + 0.5) / 5, 1e-15));
      assertThat(s.labelSmoothing(), closeTo(1 - (1 + 0.9 + 2.0 / 3 + 0.5) / 5, 1e-15));
      assertThat(s.histogram(), equalTo(List.of(1L, 0L, 0L, 0L, 0L, 1L, 1L, 0L, 0L, 2L)));
      assertThat(s.failures(), equalTo(Map.of("DuplicateReward", 1L, "MixedRewardModels", 1L)));
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counters(result), equalTo(Map.of("in", 10L, "out", 8L, "failed", 2L)));
  }

  @Test
  void filterModeRejectsBelowTheThresholdAndUndefinedWithReasons() {
    TestPipeline p = Pipelines.create();
    PCollectionTuple out = measure(p, MeasureConsistency.filtering(0.5, false));
    // p4 sits exactly on the threshold and is kept.
    PAssert.that(out.get(MeasureConsistency.KEPT).apply("Ids1", MapElements.into(TypeDescriptors.strings())
            .via(PromptConsistency::promptId)))
        .containsInAnyOrder("p1", "p2", "p3", "p4");
    PAssert.that(out.get(MeasureConsistency.REJECTED).apply("Ids2", MapElements.into(TypeDescriptors.strings())
            .via(r -> r.promptId() + " " + r.reason() + " " + r.consistency() + " " + r.threshold())))
        .containsInAnyOrder(
            "p5 below_threshold 0.0 0.5",
            "p6 all_tied_previous null 0.5",
            "p7 too_few_candidates null 0.5",
            "p8 too_few_candidates null 0.5");
    PAssert.thatSingleton(out.get(MeasureConsistency.SUMMARY)).satisfies(s -> {
      assertThat(s.stageCount().balanced(), is(true));
      assertThat(s.kept() + s.rejected() + s.failed(), is(10L));
      assertThat(s.rejections(),
          equalTo(Map.of("below_threshold", 1L, "all_tied_previous", 1L, "too_few_candidates", 2L)));
      // The set-level C is over every measured prompt, kept or rejected.
      assertThat(s.defined(), is(5L));
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counters(result), equalTo(Map.of("in", 10L, "out", 4L, "rejected", 4L, "failed", 2L)));
  }

  @Test
  void filterModeCanKeepUndefinedPrompts() {
    TestPipeline p = Pipelines.create();
    PCollectionTuple out =
        measure(p, MeasureConsistency.with(new ConsistencySpec("now", null, "prev-judge", "filter", 0.95, true)));
    PAssert.that(out.get(MeasureConsistency.KEPT).apply("Ids3", MapElements.into(TypeDescriptors.strings())
            .via(PromptConsistency::promptId)))
        .containsInAnyOrder("p1", "p6", "p7", "p8");
    PAssert.that(out.get(MeasureConsistency.REJECTED).apply("Ids4", MapElements.into(TypeDescriptors.strings())
            .via(RejectedPrompt::promptId)))
        .containsInAnyOrder("p2", "p3", "p4", "p5");
    p.run().waitUntilFinish();
  }

  @Test
  void emptyInputStillGivesOneSummary() {
    TestPipeline p = Pipelines.create();
    PCollectionTuple out = PCollectionTuple.of(MeasureConsistency.CURRENT,
            p.apply("Current", Create.empty(JsonCoder.of(CandidateReward.class))))
        .and(MeasureConsistency.PREVIOUS, p.apply("Previous", Create.empty(JsonCoder.of(CandidateReward.class))))
        .apply(MeasureConsistency.reporting());
    PAssert.thatSingleton(out.get(MeasureConsistency.SUMMARY)).satisfies(s -> {
      assertThat(s.prompts(), is(0L));
      assertThat(s.consistency(), nullValue());
      return null;
    });
    PAssert.that(out.get(MeasureConsistency.KEPT)).empty();
    p.run().waitUntilFinish();
  }

  /** The stage's accounting counters that were incremented, by their last name part. */
  static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> out = new HashMap<>();
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(StageMetrics.NAMESPACE)).build()).getCounters()) {
      String name = c.getName().getName();
      String prefix = StageMetrics.stageCounter(MeasureConsistency.STAGE, "");
      if (name.startsWith(prefix) && c.getAttempted() != null && c.getAttempted() > 0) {
        out.merge(name.substring(prefix.length()), c.getAttempted(), Long::sum);
      }
    }
    return out;
  }
}
