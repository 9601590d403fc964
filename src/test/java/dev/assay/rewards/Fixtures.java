package dev.assay.rewards;

import dev.assay.generation.Candidate;
import dev.assay.judging.Judgment;
import dev.assay.judging.JudgmentKind;
import dev.assay.judging.JudgmentStatus;
import dev.assay.judging.ReferenceMode;
import dev.assay.judging.Verdict;
import dev.assay.run.StageMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Builders for the judgments and candidates of the reward-model tests, and a counter reader. Public because the tests
 * of each reward-model type live in that type's sub-package ({@code rewards.judge}, {@code rewards.pairwise}, ...).
 */
public final class Fixtures {
  private Fixtures() {}

  /** Candidate id {@code <prompt>/m/<sample>}. */
  public static String id(String prompt, int sample) {
    return Candidate.idFor(prompt, "m", sample);
  }

  public static Candidate candidate(String prompt, int sample, String response, String reference) {
    return new Candidate(id(prompt, sample), prompt, "Question " + prompt + "?", reference, response, "m", sample, "stop", null);
  }

  /** An ok absolute judgment. */
  public static Judgment score(String judge, String prompt, int candidate, int sample, int score) {
    return absolute(judge, prompt, candidate, sample, JudgmentStatus.OK, score);
  }

  /** A non-ok absolute judgment. */
  public static Judgment notOk(String judge, String prompt, int candidate, int sample, JudgmentStatus status) {
    return absolute(judge, prompt, candidate, sample, status, null);
  }

  private static Judgment absolute(String judge, String prompt, int candidate, int sample, JudgmentStatus status, Integer score) {
    String c = id(prompt, candidate);
    return new Judgment(
        judge + "/" + c + "/" + sample, prompt, JudgmentKind.ABSOLUTE, judge, "judge-model", "absolute@test", c, null,
        sample, status, score, null, status == JudgmentStatus.OK ? "reasons" : "", null, ReferenceMode.NONE, null, "llm",
        status == JudgmentStatus.OK ? null : "not ok");
  }

  /** An ok pairwise judgment: candidate {@code first} shown first, {@code second} second. */
  public static Judgment verdict(String judge, String prompt, int first, int second, int sample, Verdict verdict) {
    return pairwise(judge, prompt, first, second, sample, JudgmentStatus.OK, verdict);
  }

  /** A non-ok pairwise judgment. */
  public static Judgment pairNotOk(String judge, String prompt, int first, int second, int sample, JudgmentStatus status) {
    return pairwise(judge, prompt, first, second, sample, status, null);
  }

  private static Judgment pairwise(
      String judge, String prompt, int first, int second, int sample, JudgmentStatus status, Verdict verdict) {
    String a = id(prompt, first);
    String b = id(prompt, second);
    return new Judgment(
        judge + "/" + a + "/" + b + "/" + sample, prompt, JudgmentKind.PAIRWISE, judge, "judge-model", "pairwise@test", a, b,
        sample, status, null, verdict, status == JudgmentStatus.OK ? "reasons" : "", null, ReferenceMode.NONE, null, "llm",
        status == JudgmentStatus.OK ? null : "not ok");
  }

  /** The attempted value of a voter's counter, 0 when it was never incremented. */
  public static long counter(PipelineResult result, String rewardModel, String what) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(StageMetrics.NAMESPACE, VoterMetrics.counterName(rewardModel, what)))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  /** Collects a PAssert iterable into a list. */
  public static <T> List<T> list(Iterable<T> values) {
    List<T> out = new ArrayList<>();
    values.forEach(out::add);
    return out;
  }

  /** The single element whose key is {@code key}, failing the test otherwise. */
  public static <T> T only(Iterable<T> values, Function<T, String> keyOf, String key) {
    T found = null;
    for (T v : values) {
      if (keyOf.apply(v).equals(key)) {
        if (found != null) {
          throw new AssertionError("two elements for " + key);
        }
        found = v;
      }
    }
    if (found == null) {
      throw new AssertionError("no element for " + key + " in " + list(values));
    }
    return found;
  }
}
