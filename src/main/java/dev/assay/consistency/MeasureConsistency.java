package dev.assay.consistency;

import dev.assay.grouping.PromptShards;
import dev.assay.io.Failure;
import dev.assay.rewards.CandidateRewardCoder;
import dev.assay.io.Json;
import dev.assay.io.JsonCoder;
import dev.assay.io.KeptRejectedFailed;
import dev.assay.rewards.CandidateReward;
import dev.assay.grouping.JoinPromptShards;
import dev.assay.run.StageMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Measures, per prompt, how consistently the current and the previous iteration rank the same candidates (CREAM),
 * and in filter mode drops the prompts below a threshold: a tuple with {@link #CURRENT} and {@link #PREVIOUS}
 * {@link CandidateReward}s in, a tuple of {@link #KEPT}, {@link #REJECTED}, {@link #FAILURES} and one {@link
 * #SUMMARY} out. Build the input with {@link #inputs}; a tuple without both tags fails at construction.
 *
 * <p>Per prompt: {@link PromptConsistency#of} over the candidates with a defined reward on both sides, {@code C(x) =
 * (tau_b + 1) / 2}. Report mode keeps every measured prompt. Filter mode rejects a prompt when {@code C(x) <
 * threshold} ({@link RejectedPrompt#BELOW_THRESHOLD}) and, unless told to keep them, a prompt whose C(x) is
 * undefined (reason: why it is undefined). The summary is {@link ConsistencyTally#summary()} over every prompt.
 *
 * <p>Each side of a prompt must hold one reward model's rewards, one per candidate: a prompt with two rewards for
 * the same candidate on one side ({@value #DUPLICATE_REWARD}), or rewards of two reward models on one side ({@value
 * #MIXED_REWARD_MODELS}), is not measured and goes to {@link #FAILURES} with everything it had, because a ranking
 * built from it would be arbitrary. Accounting (stage {@value #STAGE}, Beam counters via {@link StageMetrics}): every
 * prompt id seen on either side is one unit in, and ends up in exactly one of kept, rejected or failed.
 *
 * <p>Rewards are grouped by a shard of the prompt id ({@link JoinPromptShards}, read in one pass so that it runs on
 * Flink at any size) and prompts are separated inside the shard: the direct runner pays per key after a shuffle. A
 * shard holds its share of the (small) reward records in memory.
 */
public final class MeasureConsistency extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** The current iteration's rewards. */
  public static final TupleTag<CandidateReward> CURRENT = new TupleTag<>() {};
  /** The previous iteration's rewards for the same candidates. */
  public static final TupleTag<CandidateReward> PREVIOUS = new TupleTag<>() {};
  /** Measured prompts passed on: all of them in report mode. */
  public static final TupleTag<PromptConsistency> KEPT = new TupleTag<>() {};
  /** Prompts the filter dropped, with the reason. */
  public static final TupleTag<RejectedPrompt> REJECTED = new TupleTag<>() {};
  /** Prompts that could not be measured. */
  public static final TupleTag<Failure> FAILURES = new TupleTag<>() {};
  /** Exactly one set-level summary (also when the input is empty). */
  public static final TupleTag<ConsistencySummary> SUMMARY = new TupleTag<>() {};

  public static final String STAGE = "consistency";
  public static final String DUPLICATE_REWARD = "DuplicateReward";
  public static final String MIXED_REWARD_MODELS = "MixedRewardModels";

  private final boolean filter;
  private final double threshold;
  private final boolean keepUndefined;
  private final int shards;

  private MeasureConsistency(boolean filter, double threshold, boolean keepUndefined, int shards) {
    super("MeasureConsistency");
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1]: " + threshold);
    }
    PromptShards.requireCount(shards);
    this.filter = filter;
    this.threshold = threshold;
    this.keepUndefined = keepUndefined;
    this.shards = shards;
  }

  /** Measures and keeps every prompt. */
  public static MeasureConsistency reporting() {
    return new MeasureConsistency(false, 0.5, true, 16);
  }

  /** Measures and rejects prompts with {@code C(x) < threshold}, and undefined ones unless {@code keepUndefined}. */
  public static MeasureConsistency filtering(double threshold, boolean keepUndefined) {
    return new MeasureConsistency(true, threshold, keepUndefined, 16);
  }

  /**
   * As the recipe's {@code consistency:} section says: its mode, threshold and {@code keep_undefined}. Which rewards
   * feed {@link #CURRENT} and {@link #PREVIOUS} ({@code reward_model}, {@code previous}, {@code previous_judge}) is
   * the wiring's to choose.
   */
  public static MeasureConsistency with(ConsistencySpec spec) {
    return spec.filters() ? filtering(spec.threshold(), spec.keepUndefined()) : reporting();
  }

  /** The input tuple: the current and the previous iteration's rewards. */
  public static PCollectionTuple inputs(PCollection<CandidateReward> current, PCollection<CandidateReward> previous) {
    return PCollectionTuple.of(CURRENT, current).and(PREVIOUS, previous);
  }

  /** The same transform grouping by {@code shards} shards of the prompt id (default 16). */
  public MeasureConsistency inShards(int shards) {
    return new MeasureConsistency(filter, threshold, keepUndefined, shards);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    PCollectionTuple measured =
        JoinPromptShards.join(
                "GroupShards",
                shards,
                List.of(
                    new JoinPromptShards.Input<>("KeyCurrentByShard", input.get(CURRENT), CandidateReward::promptId, CandidateRewardCoder.of()),
                    new JoinPromptShards.Input<>("KeyPreviousByShard", input.get(PREVIOUS), CandidateReward::promptId, CandidateRewardCoder.of())))
            .apply(
                "MeasurePrompts",
                ParDo.of(new MeasureFn(PromptMeasure.of(this)))
                    .withOutputTags(KEPT, TupleTagList.of(REJECTED).and(FAILURES).and(TALLIES)));
    measured.get(KEPT).setCoder(JsonCoder.of(PromptConsistency.class));
    measured.get(REJECTED).setCoder(JsonCoder.of(RejectedPrompt.class));
    measured.get(FAILURES).setCoder(JsonCoder.of(Failure.class));
    PCollection<ConsistencySummary> summary = summarise(measured.get(TALLIES));
    return PCollectionTuple.of(KEPT, measured.get(KEPT))
        .and(REJECTED, measured.get(REJECTED))
        .and(FAILURES, measured.get(FAILURES))
        .and(SUMMARY, summary);
  }

  /**
   * The per-prompt rule of this transform with its counters (stage {@value #STAGE}): what the shard step does for
   * each prompt, shared with wirings that measure consistency inside a wider pass over the same shuffle, so the
   * outcome and the counts cannot differ between them. Call {@link #setup} on the worker before {@link #measure}.
   */
  public static final class PromptMeasure implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean filter;
    private final double threshold;
    private final boolean keepUndefined;
    private transient StageMetrics metrics;

    private PromptMeasure(boolean filter, double threshold, boolean keepUndefined) {
      this.filter = filter;
      this.threshold = threshold;
      this.keepUndefined = keepUndefined;
    }

    /** As the recipe's {@code consistency:} section says (mode, threshold, {@code keep_undefined}). */
    public static PromptMeasure of(ConsistencySpec spec) {
      return of(with(spec));
    }

    static PromptMeasure of(MeasureConsistency t) {
      return new PromptMeasure(t.filter, t.threshold, t.keepUndefined);
    }

    public void setup() {
      metrics = new StageMetrics(STAGE, null);
    }

    /**
     * Measures one prompt seen on either side and counts it as in and as kept, rejected or failed.
     *
     * @param current the current side's rewards of the prompt (any order; may be empty)
     * @param previous the previous side's rewards of the prompt (any order; may be empty)
     */
    public Outcome measure(String promptId, List<CandidateReward> current, List<CandidateReward> previous) {
      metrics.in(1);
      List<CandidateReward> cur = sortedForEvidence(current);
      List<CandidateReward> prev = sortedForEvidence(previous);
      Problem problem = problem("current", cur);
      problem = problem != null ? problem : problem("previous", prev);
      if (problem != null) {
        Map<String, List<CandidateReward>> evidence = new TreeMap<>();
        evidence.put("current", cur);
        evidence.put("previous", prev);
        metrics.failed(1);
        return new Outcome(null, null, new Failure(STAGE, promptId, Json.line(evidence), problem.errorClass(), problem.message(), 0));
      }
      PromptConsistency p = PromptConsistency.of(promptId, rewards(cur), rewards(prev));
      String reason = rejection(p);
      if (reason == null) {
        metrics.out(1);
        return new Outcome(p, null, null);
      }
      metrics.rejected(1);
      return new Outcome(null, new RejectedPrompt(promptId, reason, p.consistency(), threshold, p), null);
    }

    /** The rejection reason code, or null to keep. */
    private String rejection(PromptConsistency p) {
      if (!filter) {
        return null;
      }
      if (!p.defined()) {
        return keepUndefined ? null : p.undefinedReason();
      }
      return p.consistency() < threshold ? RejectedPrompt.BELOW_THRESHOLD : null;
    }
  }

  /** One prompt's outcome: exactly one of kept, rejected (with its measurement) or failure is set. */
  public record Outcome(PromptConsistency kept, RejectedPrompt rejected, Failure failure)
      implements KeptRejectedFailed<PromptConsistency, RejectedPrompt> {
    /** {@code tally} with this prompt added. */
    public ConsistencyTally addTo(ConsistencyTally tally) {
      if (failure != null) {
        return tally.plusFailed(failure.errorClass());
      }
      return kept != null ? tally.plus(kept, null) : tally.plus(rejected.evidence(), rejected.reason());
    }

    /** Sends the outcome to the transform's tags. */
    public void emit(DoFn.MultiOutputReceiver out) {
      emitTo(out, KEPT, REJECTED, FAILURES);
    }
  }

  /** The set-level summary of per-shard tallies: exactly one, also for no input. */
  public static PCollection<ConsistencySummary> summarise(PCollection<ConsistencyTally> tallies) {
    return tallies
        .setCoder(JsonCoder.of(ConsistencyTally.class))
        .apply("Summarise", Combine.globally(new SummaryFn()))
        .setCoder(JsonCoder.of(ConsistencySummary.class));
  }

  /** The tag the per-shard tallies travel under to {@link #summarise}. */
  public static final TupleTag<ConsistencyTally> TALLIES = new TupleTag<>() {};

  private static final class MeasureFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, PromptConsistency> {
    private final PromptMeasure measure;

    MeasureFn(PromptMeasure measure) {
      this.measure = measure;
    }

    @Setup
    public void setup() {
      measure.setup();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> shard, MultiOutputReceiver out) {
      JoinPromptShards.Parts parts = JoinPromptShards.Parts.of(shard.getValue(), 2);
      Map<String, List<CandidateReward>> current = byPrompt(parts.<CandidateReward>get(0));
      Map<String, List<CandidateReward>> previous = byPrompt(parts.<CandidateReward>get(1));
      TreeSet<String> prompts = new TreeSet<>(current.keySet());
      prompts.addAll(previous.keySet());
      ConsistencyTally tally = ConsistencyTally.empty();
      for (String promptId : prompts) {
        Outcome o = measure.measure(promptId, current.getOrDefault(promptId, List.of()), previous.getOrDefault(promptId, List.of()));
        o.emit(out);
        tally = o.addTo(tally);
      }
      out.get(TALLIES).output(tally);
    }

    private static Map<String, List<CandidateReward>> byPrompt(Iterable<CandidateReward> rewards) {
      Map<String, List<CandidateReward>> out = new HashMap<>();
      for (CandidateReward r : rewards) {
        out.computeIfAbsent(r.promptId(), k -> new ArrayList<>()).add(r);
      }
      return out;
    }
  }

  /** Sorted so the failure evidence is the same bytes whatever order the runner delivered. */
  private static List<CandidateReward> sortedForEvidence(List<CandidateReward> rewards) {
    List<CandidateReward> out = new ArrayList<>(rewards);
    out.sort(java.util.Comparator.comparing(CandidateReward::candidateId)
        .thenComparing(CandidateReward::rewardModel).thenComparing(Json::line));
    return out;
  }

  private record Problem(String errorClass, String message) {}

  /** Why one side of a prompt cannot be ranked, or null. */
  private static Problem problem(String side, List<CandidateReward> rewards) {
    TreeSet<String> models = new TreeSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (CandidateReward r : rewards) {
      models.add(r.rewardModel());
      if (seen.merge(r.candidateId(), 1, Integer::sum) == 2) {
        return new Problem(DUPLICATE_REWARD, side + " side has two rewards for candidate " + r.candidateId());
      }
    }
    if (models.size() > 1) {
      return new Problem(
          MIXED_REWARD_MODELS, side + " side mixes reward models " + models + "; give one reward model per side");
    }
    return null;
  }

  private static Map<String, Double> rewards(List<CandidateReward> rewards) {
    Map<String, Double> out = new HashMap<>();
    for (CandidateReward r : rewards) {
      out.put(r.candidateId(), r.defined() ? r.reward() : Double.NaN);
    }
    return out;
  }

  private static final class SummaryFn extends Combine.CombineFn<ConsistencyTally, ConsistencyTally, ConsistencySummary> {
    @Override
    public ConsistencyTally createAccumulator() {
      return ConsistencyTally.empty();
    }

    @Override
    public ConsistencyTally addInput(ConsistencyTally acc, ConsistencyTally input) {
      return acc.merge(input);
    }

    @Override
    public ConsistencyTally mergeAccumulators(Iterable<ConsistencyTally> accs) {
      ConsistencyTally out = ConsistencyTally.empty();
      for (ConsistencyTally a : accs) {
        out = out.merge(a);
      }
      return out;
    }

    @Override
    public ConsistencySummary extractOutput(ConsistencyTally acc) {
      return acc.summary();
    }

    @Override
    public Coder<ConsistencyTally> getAccumulatorCoder(CoderRegistry registry, Coder<ConsistencyTally> inputCoder) {
      return JsonCoder.of(ConsistencyTally.class);
    }

    @Override
    public Coder<ConsistencySummary> getDefaultOutputCoder(
        CoderRegistry registry, Coder<ConsistencyTally> inputCoder) {
      return JsonCoder.of(ConsistencySummary.class);
    }
  }
}
