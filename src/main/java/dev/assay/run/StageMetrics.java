package dev.assay.run;

import dev.assay.ledger.CallOutcome;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The Beam counters of one stage and, where it calls a model, of its endpoint.
 *
 * <p>Names: namespace {@value #NAMESPACE}; {@code stage.<stage>.in|out|rejected|failed} for the accounting invariant
 * and {@code endpoint.<name>.requests|ledger_hits|retries|failures|prompt_tokens|completion_tokens} for what a user
 * pays, and {@code endpoint.<name>.served_model.<model>} per model the responses named (see {@link #servedModels}).
 * Counters are Beam metrics, so they add up across workers on any runner. Create in {@code @Setup}; call only from
 * DoFn callbacks (Beam attributes metrics to the calling thread's step; an HTTP callback thread would lose them).
 */
public final class StageMetrics {
  public static final String NAMESPACE = "assay";

  private final Counter in;
  private final Counter out;
  private final Counter rejected;
  private final Counter failed;
  private final Counter requests;
  private final Counter ledgerHits;
  private final Counter retries;
  private final Counter endpointFailures;
  private final Counter promptTokens;
  private final Counter completionTokens;
  private final String endpoint;
  private final Counter stageRequests;
  private final Counter stagePromptTokens;
  private final Counter stageCompletionTokens;

  public StageMetrics(String stage, String endpoint) {
    in = Metrics.counter(NAMESPACE, stageCounter(stage, "in"));
    out = Metrics.counter(NAMESPACE, stageCounter(stage, "out"));
    rejected = Metrics.counter(NAMESPACE, stageCounter(stage, "rejected"));
    failed = Metrics.counter(NAMESPACE, stageCounter(stage, "failed"));
    String e = endpoint == null ? "none" : endpoint;
    this.endpoint = e;
    requests = Metrics.counter(NAMESPACE, endpointCounter(e, "requests"));
    ledgerHits = Metrics.counter(NAMESPACE, endpointCounter(e, "ledger_hits"));
    retries = Metrics.counter(NAMESPACE, endpointCounter(e, "retries"));
    endpointFailures = Metrics.counter(NAMESPACE, endpointCounter(e, "failures"));
    promptTokens = Metrics.counter(NAMESPACE, endpointCounter(e, "prompt_tokens"));
    completionTokens = Metrics.counter(NAMESPACE, endpointCounter(e, "completion_tokens"));
    stageRequests = Metrics.counter(NAMESPACE, usageCounter(stage, e, "requests"));
    stagePromptTokens = Metrics.counter(NAMESPACE, usageCounter(stage, e, "prompt_tokens"));
    stageCompletionTokens = Metrics.counter(NAMESPACE, usageCounter(stage, e, "completion_tokens"));
  }

  private static final String USAGE = "usage:";

  /**
   * What one stage paid one endpoint: {@code usage:<stage>:<endpoint>:requests|prompt_tokens|completion_tokens}
   * (colons, since stage names hold dots). Fresh requests only, as the endpoint's own counters.
   */
  public static String usageCounter(String stage, String endpoint, String what) {
    return USAGE + stage + ":" + endpoint + ":" + what;
  }

  /**
   * Per stage and endpoint, what was paid: {@code [requests, prompt tokens, completion tokens]}, from the final
   * counter values by name; sorted by stage, then endpoint.
   */
  public static java.util.SortedMap<String, java.util.SortedMap<String, long[]>> stageUsage(java.util.Map<String, Long> counters) {
    java.util.SortedMap<String, java.util.SortedMap<String, long[]>> out = new java.util.TreeMap<>();
    for (var c : counters.entrySet()) {
      if (!c.getKey().startsWith(USAGE)) {
        continue;
      }
      String rest = c.getKey().substring(USAGE.length());
      int last = rest.lastIndexOf(':');
      int middle = rest.lastIndexOf(':', last - 1);
      if (middle < 0) {
        continue;
      }
      int slot = switch (rest.substring(last + 1)) {
        case "requests" -> 0;
        case "prompt_tokens" -> 1;
        case "completion_tokens" -> 2;
        default -> -1;
      };
      if (slot < 0) {
        continue;
      }
      out.computeIfAbsent(rest.substring(0, middle), k -> new java.util.TreeMap<>())
          .computeIfAbsent(rest.substring(middle + 1, last), k -> new long[3])[slot] += c.getValue();
    }
    return out;
  }

  /**
   * A counter's final value after the pipeline finished: the committed value where the runner keeps one, else the
   * attempted value.
   *
   * <p>Why not always attempted: the direct runner folds each bundle's attempted update into the total on a
   * background executor, so right after {@code waitUntilFinish} the attempted figure can still miss the last
   * bundles (under load it read 2-31 short of 51,200 requests); its committed figure is updated synchronously as each
   * bundle commits. Flink keeps no committed metrics, and its attempted ones are the job's final accumulators.
   */
  public static long value(MetricResult<Long> counter) {
    Long v;
    try {
      v = counter.getCommitted();
    } catch (UnsupportedOperationException notKept) {
      v = counter.getAttempted();
    }
    return v == null ? 0L : v;
  }

  public static String stageCounter(String stage, String what) {
    return "stage." + stage + "." + what;
  }

  public static String endpointCounter(String endpoint, String what) {
    return "endpoint." + endpoint + "." + what;
  }

  private static final String SERVED_MODEL = "served_model";

  /**
   * The models an endpoint's responses named, from the final counter values by name: a counter per served model
   * adds up across workers like the others, where a string could not. Sorted.
   */
  public static java.util.List<String> servedModels(String endpoint, java.util.Map<String, Long> counters) {
    String prefix = endpointCounter(endpoint, SERVED_MODEL + ".");
    return counters.entrySet().stream()
        .filter(c -> c.getKey().startsWith(prefix) && c.getValue() > 0)
        .map(c -> c.getKey().substring(prefix.length()))
        .sorted()
        .toList();
  }

  public void in(long n) {
    in.inc(n);
  }

  public void out(long n) {
    out.inc(n);
  }

  public void rejected(long n) {
    rejected.inc(n);
  }

  public void failed(long n) {
    failed.inc(n);
  }

  /** Counts HTTP retries of this endpoint's client ({@link dev.assay.llm.LlmBackend#takeRetries()}). */
  public void retried(long n) {
    if (n > 0) {
      retries.inc(n);
    }
  }

  /**
   * Counts one finished model call of any API: fresh or replayed, tokens paid (fresh only). A call that failed before
   * anything was sent (refused by the budget cap: zero attempts) is an endpoint failure but not a request, so that
   * {@code requests} says what reached the server.
   */
  public void call(CallOutcome o) {
    if (o.fromLedger()) {
      ledgerHits.inc();
      return;
    }
    if (!o.ok() && o.error().attempts() == 0) {
      endpointFailures.inc();
      return;
    }
    requests.inc();
    stageRequests.inc();
    if (!o.ok()) {
      endpointFailures.inc();
      return;
    }
    promptTokens.inc(o.usage().promptTokens());
    completionTokens.inc(o.usage().completionTokens());
    stagePromptTokens.inc(o.usage().promptTokens());
    stageCompletionTokens.inc(o.usage().completionTokens());
    if (o.servedModel() != null) {
      // Fresh answers only: a replayed one was counted when it was paid for, and names the same model.
      Metrics.counter(NAMESPACE, endpointCounter(endpoint, SERVED_MODEL + "." + o.servedModel())).inc();
    }
  }
}
